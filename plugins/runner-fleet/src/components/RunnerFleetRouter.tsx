import { Route, Routes } from 'react-router-dom';
import { FleetOverviewPage } from './dashboards/FleetOverviewPage';
import { MigrationOverviewPage } from './scorecards/MigrationOverviewPage';

/** Pages under /runner-fleet: the fleet overview and, at `migration`, the organisation view. */
export const RunnerFleetRouter = () => (
  <Routes>
    <Route path="/" element={<FleetOverviewPage />} />
    <Route path="/migration" element={<MigrationOverviewPage />} />
  </Routes>
);
