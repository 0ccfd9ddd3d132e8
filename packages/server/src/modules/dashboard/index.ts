export { registerDashboard, DASHBOARD_PREFIX, DEFAULT_DASHBOARD_DIR } from './dashboard.routes.ts';
