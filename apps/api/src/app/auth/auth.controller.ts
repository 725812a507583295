import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { Audit } from '../../infra/audit/audit-writer';
import type {
  LoginResponse,
  MfaConfirmResponse,
  MfaEnrolment,
  MfaVerifyResponse,
  SessionInfo,
  StepUpResponse,
} from '@harbour/domain';
import type { Request, Response } from 'express';
import { Public, SignedIn } from '../../infra/auth/access';
import { AllowedInLockdown } from '../../infra/auth/lockdown';
import { clearSessionCookies, setSessionCookies } from '../../infra/auth/cookies';
import { Scope, type RequestScope, type SignedInScope } from '../../core/scope/request-scope';
import { AuthService, type PasswordCandidate } from './auth.service';
import { LoginDto } from './dto/login.dto';
import { ChangePasswordDto, MfaConfirmDto, MfaVerifyDto, StepUpDto } from './dto/mfa.dto';
import { LocalAuthGuard } from './local.strategy';

@Controller('api/auth')
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  /** Password step. The body is read by the local strategy; the DTO documents and validates it. */
  @Post('login')
  @Audit('auth.sign_in', { resourceType: 'session' })
  @HttpCode(200)
  @Public()
  @UseGuards(LocalAuthGuard)
  async login(
    @Scope() scope: RequestScope,
    @Body() _body: LoginDto,
    @Req() req: Request & { user?: PasswordCandidate },
    @Res({ passthrough: true }) res: Response,
  ): Promise<LoginResponse> {
    const { response, session } = await this.auth.startSignIn(scope, req.user!);
    setSessionCookies(res, session);
    return response;
  }

  @Post('mfa/verify')
  @Audit('auth.mfa_verified', { resourceType: 'session' })
  @HttpCode(200)
  @SignedIn('mfa')
  @AllowedInLockdown('everyone')
  async verify(
    @Scope() scope: SignedInScope,
    @Body() body: MfaVerifyDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MfaVerifyResponse> {
    const { response, session } = await this.auth.verifyMfa(scope, body);
    setSessionCookies(res, session);
    return response;
  }

  @Post('mfa/enrol')
  @Audit('auth.mfa_enrolment_started', { resourceType: 'staff_user' })
  @HttpCode(200)
  @SignedIn('enrol', 'active')
  @AllowedInLockdown('admins')
  enrol(@Scope() scope: SignedInScope): Promise<MfaEnrolment> {
    return this.auth.beginEnrolment(scope);
  }

  @Post('mfa/confirm')
  @Audit('auth.mfa_enrolled', { resourceType: 'staff_user' })
  @HttpCode(200)
  @SignedIn('enrol', 'active')
  @AllowedInLockdown('admins')
  async confirm(
    @Scope() scope: SignedInScope,
    @Body() body: MfaConfirmDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<MfaConfirmResponse> {
    const { response, session } = await this.auth.confirmEnrolment(scope, body.code);
    setSessionCookies(res, session);
    return response;
  }

  @Post('step-up')
  @Audit('auth.step_up', { resourceType: 'session' })
  @HttpCode(200)
  @SignedIn('active')
  @AllowedInLockdown('admins')
  stepUp(@Scope() scope: SignedInScope, @Body() body: StepUpDto): Promise<StepUpResponse> {
    return this.auth.stepUp(scope, body.password, body.code);
  }

  @Post('password')
  @Audit('auth.password_changed', { resourceType: 'staff_user' })
  @HttpCode(204)
  @SignedIn('active')
  @AllowedInLockdown('admins')
  async changePassword(
    @Scope() scope: SignedInScope,
    @Body() body: ChangePasswordDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    const session = await this.auth.changePassword(scope, body.currentPassword, body.newPassword);
    setSessionCookies(res, session);
  }

  @Post('logout')
  @Audit('auth.sign_out', { resourceType: 'session' })
  @HttpCode(204)
  @SignedIn('mfa', 'enrol', 'active')
  @AllowedInLockdown('everyone')
  async logout(
    @Scope() scope: SignedInScope,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.auth.logout(scope);
    clearSessionCookies(res);
    // Not "storage": it would drop the app shell's service worker and the device vault, whose
    // records are sealed under a key that leaves with the session (docs/adr/0012, 0013).
    res.setHeader('Clear-Site-Data', '"cache", "cookies"');
  }

  @Get('session')
  @Audit('auth.session_viewed', { resourceType: 'session' })
  @SignedIn('active')
  @AllowedInLockdown('admins')
  session(@Scope() scope: SignedInScope): Promise<SessionInfo> {
    return this.auth.sessionInfo(scope);
  }
}
