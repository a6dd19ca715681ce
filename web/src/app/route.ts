/** The app's pages, from the path alone (no router dependency for six routes). */
export type Route =
  | { page: 'dashboard' }
  | { page: 'candidate'; token: string }
  | { page: 'interviewer'; token: string }
  | { page: 'report'; token: string }
  | { page: 'dashboard-report'; id: string }
  | { page: 'not-found' };

const UUID = /^\/interviews\/([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\/?$/;

export function parseRoute(pathname: string): Route {
  if (pathname === '/' || pathname === '') return { page: 'dashboard' };
  const byId = UUID.exec(pathname);
  if (byId?.[1]) return { page: 'dashboard-report', id: byId[1] };
  const match = /^\/(c|i)\/([A-Za-z0-9_-]{43})(\/report)?\/?$/.exec(pathname);
  if (!match?.[2]) return { page: 'not-found' };
  const token = match[2];
  if (match[1] === 'c' && !match[3]) return { page: 'candidate', token };
  if (match[1] === 'i')
    return match[3] ? { page: 'report', token } : { page: 'interviewer', token };
  return { page: 'not-found' };
}
