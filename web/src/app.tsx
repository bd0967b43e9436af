import { lazy, useState, type ComponentType } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router-dom';
import { Layout } from './components/layout.js';
import { NotFoundPage } from './pages/not-found-page.js';

/** A page loaded on first visit (its own chunk); `Layout` shows "Loading…" meanwhile. */
function page<M>(load: () => Promise<M>, name: keyof M) {
  return lazy(async () => ({ default: (await load())[name] as ComponentType }));
}

// Each page is its own chunk, so a page without charts does not wait for Recharts.
const OverviewPage = page(() => import('./pages/overview-page.js'), 'OverviewPage');
const TeamsPage = page(() => import('./pages/teams-page.js'), 'TeamsPage');
const TeamPage = page(() => import('./pages/team-page.js'), 'TeamPage');
const EntitiesPage = page(() => import('./pages/entities-page.js'), 'EntitiesPage');
const EntityPage = page(() => import('./pages/entity-page.js'), 'EntityPage');
const ChecksPage = page(() => import('./pages/checks-page.js'), 'ChecksPage');
const CheckPage = page(() => import('./pages/check-page.js'), 'CheckPage');
const TracksPage = page(() => import('./pages/tracks-page.js'), 'TracksPage');
const TrackPage = page(() => import('./pages/track-page.js'), 'TrackPage');
const ExemptionsPage = page(() => import('./pages/exemptions-page.js'), 'ExemptionsPage');

/** Every page has its own URL; filters live in the query string. */
export const routes: RouteObject[] = [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <OverviewPage /> },
      { path: '/teams', element: <TeamsPage /> },
      { path: '/teams/:name', element: <TeamPage /> },
      { path: '/entities', element: <EntitiesPage /> },
      { path: '/entities/:kind/:namespace/:name', element: <EntityPage /> },
      { path: '/checks', element: <ChecksPage /> },
      { path: '/checks/:id', element: <CheckPage /> },
      { path: '/tracks', element: <TracksPage /> },
      { path: '/tracks/:id', element: <TrackPage /> },
      { path: '/exemptions', element: <ExemptionsPage /> },
      { path: '*', element: <NotFoundPage /> },
    ],
  },
];

export function App() {
  const [router] = useState(() => createBrowserRouter(routes));
  return <RouterProvider router={router} />;
}
