import type { HttpContext } from '@angular/common/http';
import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  PurgeRunView,
  RetentionDryRun,
  RetentionSettingsView,
  UpdateRetentionSettingsRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';

/** The retention page's API (`retention:manage`, admins). Changing the settings needs step-up. */
@Injectable({ providedIn: 'root' })
export class RetentionApi {
  private readonly http = inject(HttpClient);

  settings(): Observable<RetentionSettingsView> {
    return this.http.get<RetentionSettingsView>('/api/retention');
  }

  update(
    request: UpdateRetentionSettingsRequest,
    context: HttpContext,
  ): Observable<RetentionSettingsView> {
    return this.http.put<RetentionSettingsView>('/api/retention', request, { context });
  }

  dryRun(): Observable<RetentionDryRun> {
    return this.http.post<RetentionDryRun>('/api/retention/dry-run', {});
  }

  runs(): Observable<PurgeRunView[]> {
    return this.http.get<PurgeRunView[]>('/api/retention/runs');
  }
}
