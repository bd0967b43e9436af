import { useState } from 'react';
import { createBrowserRouter, RouterProvider, type RouteObject } from 'react-router-dom';
import { Layout } from './components/layout.js';
import { CheckPage } from './pages/check-page.js';
import { ChecksPage } from './pages/checks-page.js';
import { EntitiesPage } from './pages/entities-page.js';
import { EntityPage } from './pages/entity-page.js';
import { ExemptionsPage } from './pages/exemptions-page.js';
import { NotFoundPage } from './pages/not-found-page.js';
import { OverviewPage } from './pages/overview-page.js';
import { TeamPage } from './pages/team-page.js';
import { TeamsPage } from './pages/teams-page.js';
import { TrackPage } from './pages/track-page.js';
import { TracksPage } from './pages/tracks-page.js';

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
