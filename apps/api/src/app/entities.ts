import { OrganisationEntity } from './organisations/organisation.entity';

/** Every TypeORM entity, listed explicitly (no globs, STYLE.md §13). */
export const ENTITIES = [OrganisationEntity] as const;
