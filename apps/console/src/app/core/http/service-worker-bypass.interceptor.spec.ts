import { HttpClient, provideHttpClient, withInterceptors } from '@angular/common/http';
import { HttpTestingController, provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { serviceWorkerBypassInterceptor } from './service-worker-bypass.interceptor';

describe('serviceWorkerBypassInterceptor', () => {
  it('sends API calls past the service worker, and nothing else', () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(withInterceptors([serviceWorkerBypassInterceptor])),
        provideHttpClientTesting(),
      ],
    });
    const http = TestBed.inject(HttpClient);
    const backend = TestBed.inject(HttpTestingController);
    http.post('/api/contacts', {}).subscribe();
    http.get('/health/live').subscribe();
    http.get('/assets/i18n/th.json').subscribe();
    expect(backend.expectOne('/api/contacts').request.headers.get('ngsw-bypass')).toBe('true');
    expect(backend.expectOne('/health/live').request.headers.get('ngsw-bypass')).toBe('true');
    expect(backend.expectOne('/assets/i18n/th.json').request.headers.has('ngsw-bypass')).toBe(
      false,
    );
    backend.verify();
  });
});
