import { lazy, Suspense, useEffect } from 'react';
import { Center, Loader } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Navigate, Route, Routes } from 'react-router';
import { must, sdk, selectStore } from './api/client.ts';
import { useSession } from './api/session.ts';
import { Shell } from './Shell.tsx';
import { SignIn } from './screens/SignIn.tsx';
import { CreateStore } from './screens/CreateStore.tsx';

// Screens past the first are loaded on demand: the sign-in page and home stay small.
const Home = lazy(() => import('./screens/Home.tsx'));
const ProductList = lazy(() => import('./screens/products/ProductList.tsx'));
const ProductEdit = lazy(() => import('./screens/products/ProductEdit.tsx'));
const OrderList = lazy(() => import('./screens/orders/OrderList.tsx'));
const OrderDetail = lazy(() => import('./screens/orders/OrderDetail.tsx'));
const MediaLibrary = lazy(() => import('./screens/MediaLibrary.tsx'));
const Content = lazy(() => import('./screens/content/Content.tsx'));
const Bookings = lazy(() => import('./screens/bookings/Bookings.tsx'));
const Settings = lazy(() => import('./screens/settings/Settings.tsx'));

const fallback = (
  <Center py="xl">
    <Loader size="sm" aria-label="Loading" />
  </Center>
);

/** Signed out: the sign-in page. Signed in: the shell with the screen of the URL. */
export function App() {
  const { signedIn, storeId } = useSession();
  const stores = useQuery({
    queryKey: ['stores'],
    queryFn: () => must(sdk.store.getStores({ limit: 100 })),
    enabled: signedIn,
  });

  // Keep the selection on a store the caller belongs to; pick the first one otherwise.
  useEffect(() => {
    const items = stores.data?.items;
    if (!items) return;
    if (!items.some((s) => s.id === storeId)) selectStore(items[0]?.id ?? '');
  }, [stores.data, storeId]);

  if (!signedIn) return <SignIn />;
  if (stores.isPending) return fallback;
  const hasStore = !!stores.data?.items.some((s) => s.id === storeId);

  return (
    <Shell stores={stores.data?.items ?? []}>
      <Suspense fallback={fallback}>
        <Routes>
          <Route path="/stores/new" element={<CreateStore />} />
          {hasStore ? (
            <>
              <Route path="/" element={<Home />} />
              <Route path="/products" element={<ProductList />} />
              <Route path="/products/:id" element={<ProductEdit />} />
              <Route path="/orders" element={<OrderList />} />
              <Route path="/orders/:id" element={<OrderDetail />} />
              <Route path="/media" element={<MediaLibrary />} />
              <Route path="/bookings/*" element={<Bookings />} />
              <Route path="/content" element={<Content />} />
              <Route path="/settings/*" element={<Settings />} />
              <Route path="*" element={<Navigate to="/" replace />} />
            </>
          ) : (
            <Route path="*" element={stores.isError ? fallback : <Navigate to="/stores/new" replace />} />
          )}
        </Routes>
      </Suspense>
    </Shell>
  );
}
