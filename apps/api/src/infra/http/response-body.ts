import { SetMetadata } from '@nestjs/common';

export const RESPONSE_BODY_METADATA = 'harbour:response-body';

/**
 * What a success body is, by media type, for a handler whose declared return type does not say
 * it (a `StreamableFile`, a string): the name of a type `@harbour/domain` exports for JSON, or
 * `text` / `binary` for a file. Every other handler's body is derived from its return type by
 * `npm run openapi` (apps/api/src/openapi/response-schemas.ts); a name that is no exported
 * type fails the document's build and its unit test.
 */
export type ResponseContent = Readonly<Record<string, string>>;

export const ResponseBody = (content: ResponseContent): MethodDecorator =>
  SetMetadata(RESPONSE_BODY_METADATA, content);
