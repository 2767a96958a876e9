import { Controller, Get, Header } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { Public } from '../auth/auth.decorators';
import { DEMO_PAGE } from './demo-page';

/** A working browser chat on a visitor session token (no API key in the page). */
@ApiExcludeController()
@Public()
@Controller('demo')
export class DemoController {
  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', DEMO_PAGE.contentSecurityPolicy)
  @Header('X-Content-Type-Options', 'nosniff')
  // the page's URL carries a session token: never send it on as a referrer, never cache the page
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-store')
  page(): string {
    return DEMO_PAGE.html;
  }
}
