/**
 * SaaS APIs: chat (Slack, Discord, Telegram), payments (Stripe, Square, Shopify), messaging
 * (Twilio, SendGrid, Mailgun), monitoring (Datadog), maps (Mapbox). Stripe test keys are low
 * severity; a Discord token must decode to a numeric user id to count.
 */
import { type BuiltinRule, decodeBase64Url, rule } from '../rule-kit.js';

const b = (body: string, flags = 'g') => new RegExp(`(?<![\\w-])${body}(?![\\w-])`, flags);
/** Rules whose match starts at their keyword (see BuiltinRule.anchored). */
const at = { anchored: true };

export const saasRules: BuiltinRule[] = [
  rule(
    'slack-token',
    'slack',
    'high',
    'Slack token (bot, user, app, refresh or config)',
    ['xoxb-', 'xoxp-', 'xoxa-', 'xoxr-', 'xoxs-', 'xoxo-', 'xoxe-', 'xoxe.'],
    b('xox(?:[abposr]|e\\.xox[bp]|e)-(?:\\d{1,13}-){1,3}[A-Za-z0-9-]{10,200}'),
    at,
  ),
  rule(
    'slack-app-token',
    'slack',
    'high',
    'Slack app-level token',
    ['xapp-'],
    b('xapp-\\d-[A-Z0-9]{9,12}-\\d{10,14}-[a-f0-9]{40,64}'),
    at,
  ),
  rule(
    'slack-webhook-url',
    'slack',
    'medium',
    'Slack incoming webhook URL',
    ['hooks.slack.com'],
    /https:\/\/hooks\.slack\.com\/(?:services|workflows|triggers)\/T[A-Z0-9]{8,12}\/[A-Z0-9]{8,12}\/[A-Za-z0-9]{18,34}/g,
  ),
  rule(
    'stripe-secret-key',
    'stripe',
    'critical',
    'Stripe secret or restricted key',
    ['sk_live_', 'rk_live_', 'sk_test_', 'rk_test_'],
    b('[sr]k_(?<mode>live|test)_[0-9A-Za-z]{20,247}'),
    { anchored: true, check: (_s, ctx) => (ctx.match.groups?.['mode'] === 'test' ? { severity: 'low' } : {}) },
  ),
  rule(
    'stripe-webhook-secret',
    'stripe',
    'medium',
    'Stripe webhook signing secret',
    ['whsec_'],
    b('whsec_[A-Za-z0-9]{32,64}'),
    at,
  ),
  rule('square-token', 'square', 'high', 'Square access token or OAuth secret', ['sq0atp-', 'sq0csp-'], b('sq0(?:atp-[0-9A-Za-z_-]{22}|csp-[0-9A-Za-z_-]{43})'), at),
  rule('shopify-token', 'shopify', 'high', 'Shopify access token or shared secret', ['shpat_', 'shpca_', 'shppa_', 'shpss_'], b('shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}'), at),
  rule('twilio-api-key', 'twilio', 'medium', 'Twilio API key SID', ['sk'], /(?<![\w])SK[0-9a-f]{32}(?![\w])/g, at),
  rule(
    'twilio-auth-token',
    'twilio',
    'high',
    'Twilio auth token',
    ['twilio'],
    /twilio[\w.-]{0,30}(?:token|secret)["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[a-f0-9]{32})(?![\w])/gi,
    at,
  ),
  rule('sendgrid-api-key', 'sendgrid', 'high', 'SendGrid API key', ['sg.'], b('SG\\.[A-Za-z0-9_-]{22}\\.[A-Za-z0-9_-]{43}'), at),
  rule('mailgun-api-key', 'mailgun', 'high', 'Mailgun API key', ['key-'], b('key-[0-9a-f]{32}'), at),
  rule(
    'mailgun-private-key',
    'mailgun',
    'high',
    'Mailgun private API key',
    ['mailgun'],
    b('[0-9a-f]{32}-[0-9a-f]{8}-[0-9a-f]{8}'),
  ),
  rule(
    'datadog-api-key',
    'datadog',
    'high',
    'Datadog API or application key',
    ['datadog', 'dd_api', 'dd_app', 'dd-api', 'dd-app', 'ddapi', 'ddapp'],
    /(?:datadog|dd)[\w.-]{0,20}(?:api|app|application)[\w.-]{0,10}key["']?\s*(?:[:=]|=>)\s*["']?(?<secret>[a-f0-9]{40}|[a-f0-9]{32})(?![\w])/gi,
    at,
  ),
  rule(
    'discord-bot-token',
    'discord',
    'high',
    'Discord bot token',
    ['discord', 'token', 'bot'],
    b('[MNO][A-Za-z0-9_-]{23,27}\\.[A-Za-z0-9_-]{6}\\.[A-Za-z0-9_-]{27,38}'),
    { check: (s) => (/^\d{17,20}$/.test(decodeBase64Url(s.slice(0, s.indexOf('.'))) ?? '') ? {} : false) },
  ),
  rule(
    'discord-webhook-url',
    'discord',
    'medium',
    'Discord webhook URL',
    ['discord'],
    /https:\/\/(?:ptb\.|canary\.)?discord(?:app)?\.com\/api\/webhooks\/\d{17,20}\/[A-Za-z0-9_-]{60,70}/g,
  ),
  rule('telegram-bot-token', 'telegram', 'high', 'Telegram bot token', [':aa'], /(?<![\w])\d{8,10}:AA[A-Za-z0-9_-]{33}(?![\w-])/g),
  rule('mapbox-secret-token', 'mapbox', 'high', 'Mapbox secret token', ['sk.eyj'], b('sk\\.eyJ[A-Za-z0-9_-]{20,}\\.[A-Za-z0-9_-]{20,}'), at),
];
