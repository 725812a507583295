import type { HttpContext } from '@angular/common/http';
import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import { MatDialog } from '@angular/material/dialog';
import type { Observable } from 'rxjs';
import { defer, lastValueFrom, of, Subject, throwError, toArray } from 'rxjs';
import { settle } from '../../../testing/dom';
import { sessionInfo } from '../../../testing/session';
import { AppError } from '../http/app-error';
import { STEP_UP_HANDLED_BY_CALLER } from '../http/http-context';
import { SessionStore } from './session.store';
import { StepUpDialog } from './step-up-dialog';
import { StepUpService } from './step-up.service';

/** Stands in for MatDialog: the step-up dialog "closes" with the given result. */
class FakeDialog {
  readonly opened: unknown[] = [];
  result: boolean | undefined = true;
  /** When set, the dialog stays open until this emits. */
  closing: Subject<boolean> | null = null;

  open(component: unknown): { afterClosed: () => Observable<boolean | undefined> } {
    this.opened.push(component);
    return { afterClosed: () => this.closing ?? of(this.result) };
  }
}

const STEP_UP_REQUIRED = new AppError('step_up_required', 403, 'c-1');

describe('StepUpService', () => {
  let dialog: FakeDialog;
  let service: StepUpService;

  beforeEach(() => {
    dialog = new FakeDialog();
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        { provide: MatDialog, useValue: dialog },
      ],
    });
    service = TestBed.inject(StepUpService);
  });

  /** An action that answers with `answers` in turn, recording the context of each attempt. */
  function action(...answers: (string | AppError)[]): {
    run: (context: HttpContext) => Observable<string>;
    contexts: HttpContext[];
  } {
    const contexts: HttpContext[] = [];
    return {
      contexts,
      run: (context) =>
        defer(() => {
          contexts.push(context);
          const answer = answers[contexts.length - 1];
          return answer instanceof AppError || answer === undefined
            ? throwError(() => answer ?? new Error('no more answers'))
            : of(answer);
        }),
    };
  }

  it('runs the action once when no step-up is needed, marking its request', async () => {
    const created = action('created');

    expect(await lastValueFrom(service.run(created.run))).toBe('created');
    expect(created.contexts).toHaveLength(1);
    expect(created.contexts[0]?.get(STEP_UP_HANDLED_BY_CALLER)).toBe(true);
    expect(dialog.opened).toEqual([]);
  });

  it('asks for password and code on step_up_required, then retries once', async () => {
    const created = action(STEP_UP_REQUIRED, 'created');

    expect(await lastValueFrom(service.run(created.run))).toBe('created');
    expect(dialog.opened).toEqual([StepUpDialog]);
    expect(created.contexts).toHaveLength(2);
    expect(created.contexts[1]?.get(STEP_UP_HANDLED_BY_CALLER)).toBe(true);
  });

  it('does not retry when the person cancels, and completes without a value', async () => {
    dialog.result = false;
    const created = action(STEP_UP_REQUIRED, 'created');

    expect(await lastValueFrom(service.run(created.run).pipe(toArray()))).toEqual([]);
    expect(created.contexts).toHaveLength(1);
  });

  it('treats a dialog closed any other way as a cancel', async () => {
    dialog.result = undefined;
    const created = action(STEP_UP_REQUIRED, 'created');

    expect(await lastValueFrom(service.run(created.run).pipe(toArray()))).toEqual([]);
    expect(created.contexts).toHaveLength(1);
  });

  it('retries only once: a second refusal is passed on', async () => {
    const created = action(STEP_UP_REQUIRED, STEP_UP_REQUIRED, 'never');

    await expect(lastValueFrom(service.run(created.run))).rejects.toBe(STEP_UP_REQUIRED);
    expect(dialog.opened).toHaveLength(1);
    expect(created.contexts).toHaveLength(2);
  });

  it('passes other failures on without asking', async () => {
    const conflict = new AppError('version_conflict', 409);
    const updated = action(conflict);

    await expect(lastValueFrom(service.run(updated.run))).rejects.toBe(conflict);
    expect(dialog.opened).toEqual([]);
  });

  describe('step-up first', () => {
    it('asks before sending anything when the last step-up is not fresh', async () => {
      TestBed.inject(SessionStore).signIn(sessionInfo());
      dialog.closing = new Subject<boolean>();
      const created = action('created');
      const result = lastValueFrom(service.runStepUpFirst(created.run));
      await settle();

      expect(dialog.opened).toEqual([StepUpDialog]);
      expect(created.contexts).toHaveLength(0);
      dialog.closing.next(true);
      dialog.closing.complete();

      expect(await result).toBe('created');
      expect(created.contexts).toHaveLength(1);
      expect(created.contexts[0]?.get(STEP_UP_HANDLED_BY_CALLER)).toBe(true);
    });

    it('sends nothing when the person cancels', async () => {
      TestBed.inject(SessionStore).signIn(sessionInfo());
      dialog.result = false;
      const created = action('created');

      expect(await lastValueFrom(service.runStepUpFirst(created.run).pipe(toArray()))).toEqual([]);
      expect(created.contexts).toHaveLength(0);
    });

    it('sends at once while the step-up is fresh, and still asks if the API disagrees', async () => {
      const session = TestBed.inject(SessionStore);
      session.signIn(sessionInfo());
      session.noteStepUp();
      const fresh = action('created');
      expect(await lastValueFrom(service.runStepUpFirst(fresh.run))).toBe('created');
      expect(dialog.opened).toEqual([]);

      // This device's clock says fresh; the server's does not.
      const skewed = action(STEP_UP_REQUIRED, 'created');
      expect(await lastValueFrom(service.runStepUpFirst(skewed.run))).toBe('created');
      expect(dialog.opened).toEqual([StepUpDialog]);
      expect(skewed.contexts).toHaveLength(2);
    });
  });
});
