import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { BackupStatus } from '@harbour/domain';
import type { Observable } from 'rxjs';

/** The deployment's backups (`keys:manage`, admins): the home page's backups card. */
@Injectable({ providedIn: 'root' })
export class BackupsApi {
  private readonly http = inject(HttpClient);

  status(): Observable<BackupStatus> {
    return this.http.get<BackupStatus>('/api/backups/status');
  }
}
