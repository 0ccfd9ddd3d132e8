import '@mantine/core/styles.css';
import '@mantine/dates/styles.css';
import '@mantine/dropzone/styles.css';
import '@mantine/notifications/styles.css';
import '@mantine/charts/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import {
  Alert,
  Badge,
  Drawer,
  NavLink,
  Modal,
  MultiSelect,
  Notification,
  MantineProvider,
  createTheme,
  type CSSVariablesResolver,
} from '@mantine/core';
import { Notifications } from '@mantine/notifications';
import { MutationCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { BrowserRouter } from 'react-router';
import { App } from './App.tsx';
import { apiError } from './api/errors.ts';

// Shade 8 and darker dimmed text keep every text/background pair at WCAG AA contrast (axe checks it).
const theme = createTheme({
  primaryColor: 'indigo',
  primaryShade: 8,
  defaultRadius: 'md',
  autoContrast: true,
  // Status badges as a coloured dot beside dark text: readable whatever the status colour.
  // Icon-only close and clear buttons get names screen readers can announce.
  components: {
    Badge: Badge.extend({ defaultProps: { variant: 'dot' } }),
    // An active link's description is dimmed to 90 % by default, below AA on the light highlight.
    NavLink: NavLink.extend({ styles: { description: { opacity: 1 } } }),
    Notification: Notification.extend({
      defaultProps: { closeButtonProps: { 'aria-label': 'Dismiss notification' } },
    }),
    // Alert titles in the text colour: a yellow or orange title on its light background is below AA.
    Alert: Alert.extend({
      defaultProps: { closeButtonLabel: 'Dismiss' },
      styles: { title: { color: 'var(--mantine-color-text)' } },
    }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close dialog' } } }),
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close panel' } } }),
    MultiSelect: MultiSelect.extend({ defaultProps: { clearButtonProps: { 'aria-label': 'Clear' } } }),
  },
});
const cssVariablesResolver: CSSVariablesResolver = (t) => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': t.colors.gray[7]!,
    '--mantine-color-error': t.colors.red[8]!,
    '--mantine-color-placeholder': t.colors.gray[7]!,
  },
  dark: {},
});

const queryClient = new QueryClient({
  defaultOptions: {
    queries: {
      staleTime: 15_000,
      // 4xx answers do not get better by asking again; network errors and 5xx do.
      retry: (count, error) => count < 2 && (apiError(error)?.status_code ?? 500) >= 500,
    },
  },
  // Any successful write may change what lists show: refetch the active ones.
  mutationCache: new MutationCache({ onSuccess: () => void queryClient.invalidateQueries() }),
});

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <MantineProvider theme={theme} cssVariablesResolver={cssVariablesResolver}>
      <Notifications position="bottom-right" />
      <QueryClientProvider client={queryClient}>
        <BrowserRouter basename="/admin">
          <App />
        </BrowserRouter>
      </QueryClientProvider>
    </MantineProvider>
  </StrictMode>,
);
