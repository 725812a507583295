import type { SetLanguageRequest } from '@harbour/domain';
import { IsText } from '../../../infra/http/validation-rules';

export class SetLanguageDto implements SetLanguageRequest {
  /**
   * One of the console's languages: `en`, `th`, `vi`, `zh-Hans`, `ko`. A text that is none of
   * them answers 422 `language_unsupported` (a language, not a malformed request).
   */
  @IsText(35, 1)
  language!: string;
}
