import { CreateDateColumn, UpdateDateColumn, VersionColumn } from 'typeorm';

/** `created_at`: set by the database when the row is inserted. */
export const CreatedAtColumn = (): PropertyDecorator =>
  CreateDateColumn({ name: 'created_at', type: 'timestamptz' });

/** `updated_at`: set by TypeORM on every save through an entity. */
export const UpdatedAtColumn = (): PropertyDecorator =>
  UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' });

/** `version`: optimistic concurrency, starting at 1 (docs/design.md §11). */
export const VersionNumberColumn = (): PropertyDecorator =>
  VersionColumn({ type: 'integer', default: 1 });
