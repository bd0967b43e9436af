import { Link } from 'react-router-dom';
import { PageHeader } from '../components/layout.js';

export function NotFoundPage() {
  return (
    <>
      <PageHeader title="Page not found" />
      <p>
        Nothing lives at this address. <Link to="/">Back to the overview</Link>.
      </p>
    </>
  );
}
