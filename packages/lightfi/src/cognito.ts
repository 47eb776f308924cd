/** LightFi's Cognito domain (authorize, token, revoke, logout). */
export const DEFAULT_AUTH_DOMAIN = 'https://lightfiv2.auth.eu-west-2.amazoncognito.com';

/** LightFi's API. */
export const DEFAULT_BASE_URL = 'https://apiv2.lightfi.io';

/** The scope LightFi's documentation asks for. */
export const DEFAULT_SCOPE = 'aws.cognito.signin.user.admin';

/** The callback URLs LightFi configures on a new app client: its API docs page, Postman and local development. */
export const DEFAULT_CALLBACK_URLS: readonly string[] = Object.freeze([
  'http://localhost:3000/',
  'https://apiv2.lightfi.io/docs/redirect',
  'https://oauth.pstmn.io/v1/callback',
]);

/** The sign-out URLs LightFi configures on a new app client: none. */
export const DEFAULT_SIGN_OUT_URLS: readonly string[] = Object.freeze([]);

/** The Cognito hosted-UI endpoints of one domain. */
export interface CognitoEndpoints {
  /** `GET ${authDomain}/oauth2/authorize` */
  readonly authorization: string;
  /** `POST ${authDomain}/oauth2/token` */
  readonly token: string;
  /** `POST ${authDomain}/oauth2/revoke` (HTTP Basic client authentication) */
  readonly revocation: string;
  /** `GET ${authDomain}/logout` */
  readonly logout: string;
}

/** The endpoints of a Cognito domain (a trailing slash on the domain is ignored). */
export function cognitoEndpoints(authDomain: string): CognitoEndpoints {
  const root = authDomain.replace(/\/+$/, '');
  return Object.freeze({
    authorization: `${root}/oauth2/authorize`,
    token: `${root}/oauth2/token`,
    revocation: `${root}/oauth2/revoke`,
    logout: `${root}/logout`,
  });
}
