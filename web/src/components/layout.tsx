import { Suspense, useEffect, useState, type ReactNode } from 'react';
import { NavLink, Outlet, useLocation } from 'react-router-dom';
import { getToken, onTokenChange, setToken } from '../api/client.js';
import { describeMe, MeProvider, useMeState } from '../api/me.js';
import { Loading } from './states.js';
import { TokenForm } from './token-form.js';

const NAV = [
  { to: '/', label: 'Overview', end: true },
  { to: '/teams', label: 'Teams' },
  { to: '/entities', label: 'Components' },
  { to: '/checks', label: 'Checks' },
  { to: '/tracks', label: 'Tracks' },
  { to: '/exemptions', label: 'Exemptions' },
];

export function useToken(): string | null {
  const [token, set] = useState(getToken);
  useEffect(() => onTokenChange(() => set(getToken())), []);
  return token;
}

/** Who is signed in (from `GET /me`): token name and scope, or public read-only; sign in or out. */
export function TokenControl() {
  const token = useToken();
  const me = useMeState();
  const [open, setOpen] = useState(false);
  if (token) {
    const who =
      me.status === 'ok' ? (
        <>
          Signed in as <strong>{describeMe(me.data)}</strong>
        </>
      ) : me.status === 'error' ? (
        me.error.needsToken ? 'Token not accepted' : 'Token set'
      ) : (
        'Checking token…'
      );
    return (
      <div className="token-control">
        <span className={`token-control__state${me.status === 'error' && me.error.needsToken ? ' token-control__state--bad' : ''}`} role="status">
          {who}
        </span>
        <button type="button" className="link-button" onClick={() => setToken(null)}>
          Sign out
        </button>
      </div>
    );
  }
  return (
    <div className="token-control">
      {me.status === 'ok' && <span className="token-control__state token-control__state--public">{describeMe(me.data)}</span>}
      <button type="button" className="link-button" aria-expanded={open} onClick={() => setOpen(!open)}>
        Sign in with an API token
      </button>
      {open && (
        <div className="token-control__popover">
          <TokenForm onSaved={() => setOpen(false)} />
        </div>
      )}
    </div>
  );
}

/** Page frame: skip link, banner with navigation, one main landmark that takes focus on navigation. */
export function Layout() {
  const location = useLocation();
  useEffect(() => {
    // Move focus to the new page so keyboard and screen-reader users start at its content.
    const main = document.getElementById('main');
    if (main && document.activeElement && document.activeElement !== document.body && !main.contains(document.activeElement)) main.focus();
  }, [location.pathname]);
  return (
    <MeProvider>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="banner">
        <div className="banner__inner">
          <NavLink to="/" className="brand" aria-label="Yardstick home">
            <span aria-hidden="true" className="brand__mark">▮▮▮</span> Yardstick
          </NavLink>
          <nav aria-label="Main">
            <ul className="nav">
              {NAV.map((n) => (
                <li key={n.to}>
                  <NavLink to={n.to} end={n.end}>
                    {n.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <TokenControl />
        </div>
      </header>
      <main id="main" tabIndex={-1} className="main">
        <Suspense fallback={<Loading what="the page" />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="footer">
        <p>Yardstick quality standards · data from the Yardstick API</p>
      </footer>
    </MeProvider>
  );
}

export function PageHeader({ title, kicker, children }: { title: ReactNode; kicker?: ReactNode; children?: ReactNode }) {
  return (
    <div className="page-header">
      {kicker && <p className="page-header__kicker">{kicker}</p>}
      <h1>{title}</h1>
      {children}
    </div>
  );
}

export function Section({ title, children, id, actions }: { title: string; children: ReactNode; id?: string; actions?: ReactNode }) {
  const headingId = `${id ?? title.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-heading`;
  return (
    <section className="section" aria-labelledby={headingId}>
      <div className="section__head">
        <h2 id={headingId}>{title}</h2>
        {actions}
      </div>
      {children}
    </section>
  );
}
