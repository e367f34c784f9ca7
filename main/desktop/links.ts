/** Where Help ▸ Documentation and Help ▸ Security lead (https only: they open in the user's browser). */
export const DOCS_URL = 'https://latchkey.dev/docs';
export const SECURITY_URL = 'https://latchkey.dev/docs/security';
