import type { Routes } from '@angular/router';
import { guestGuard } from '../../core/auth/auth.guards';
import { ChangePasswordPage } from './pages/change-password-page';
import { EnrolPage } from './pages/enrol-page';
import { MfaPage } from './pages/mfa-page';
import { SignInPage } from './pages/sign-in-page';

/** `/sign-in`, `/sign-in/mfa`, `/sign-in/enrol`: for people who are not signed in yet. */
export const signInRoutes: Routes = [
  {
    path: '',
    pathMatch: 'full',
    canActivate: [guestGuard],
    component: SignInPage,
    title: 'auth.signIn.pageTitle',
  },
  { path: 'mfa', canActivate: [guestGuard], component: MfaPage, title: 'auth.mfa.pageTitle' },
  {
    path: 'enrol',
    canActivate: [guestGuard],
    component: EnrolPage,
    title: 'auth.enrol.pageTitle',
  },
  { path: '**', redirectTo: '' },
];

/** `/change-password` (the top-level route requires a session). */
export const changePasswordRoutes: Routes = [
  { path: '', component: ChangePasswordPage, title: 'auth.changePassword.pageTitle' },
];
