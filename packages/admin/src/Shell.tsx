import type { ReactNode } from 'react';
import { AppShell, Burger, Button, Group, NavLink, Select, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useLocation, useNavigate } from 'react-router';
import type { Store } from '@openarky/contract';
import { sdk, selectStore, signOutLocally } from './api/client.ts';
import { useSession } from './api/session.ts';

const NAV = [
  { to: '/', label: 'Home' },
  { to: '/products', label: 'Products' },
  { to: '/orders', label: 'Orders' },
  { to: '/bookings', label: 'Bookings' },
  { to: '/media', label: 'Media' },
  { to: '/content', label: 'Content' },
  { to: '/settings', label: 'Settings' },
];

/** Header (store switcher, sign out) and navigation; the navigation folds into a burger on a phone. */
export function Shell({ stores, children }: { stores: Store[]; children: ReactNode }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { storeId } = useSession();
  const location = useLocation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();

  const signOut = async () => {
    await sdk.auth.logout();
    signOutLocally();
    queryClient.clear();
  };

  return (
    <AppShell
      header={{ height: 60 }}
      navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding="md"
    >
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label="Toggle navigation"
            />
            <Text fw={700} visibleFrom="xs">
              OpenArky
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Select
              aria-label="Store"
              placeholder="Choose a store"
              data={[
                ...stores.map((s) => ({ value: s.id, label: s.key })),
                { value: '__new', label: '+ New store' },
              ]}
              value={stores.some((s) => s.id === storeId) ? storeId : null}
              onChange={(value) => {
                if (value === '__new') return void navigate('/stores/new');
                if (value) {
                  selectStore(value);
                  void navigate('/');
                }
              }}
              allowDeselect={false}
              w={{ base: 150, sm: 220 }}
              data-testid="store-switcher"
            />
            <Button variant="subtle" size="xs" onClick={() => void signOut()}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main">
        {NAV.map((item) => (
          <NavLink
            key={item.to}
            component={Link}
            to={item.to}
            label={item.label}
            variant="filled"
            onClick={close}
            active={item.to === '/' ? location.pathname === '/' : location.pathname.startsWith(item.to)}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
