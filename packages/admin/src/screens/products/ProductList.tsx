import { useState } from 'react';
import { Anchor, Badge, Button, Group, Table, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { must, sdk } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { blockText, money } from '../../api/format.ts';
import { PageHeader } from '../../components/PageHeader.tsx';
import { QueryState } from '../../components/QueryState.tsx';
import { CursorPager, useCursorPager } from '../../components/CursorPager.tsx';

/** Products with search and cursor paging. */
export default function ProductList() {
  const { storeId } = useSession();
  const [search, setSearch] = useState('');
  const [query] = useDebouncedValue(search.trim(), 300);
  const pager = useCursorPager([storeId, query]);
  const products = useQuery({
    queryKey: ['products', storeId, query, pager.cursor],
    queryFn: () =>
      must(
        sdk.eshop.product.find({
          limit: 20,
          ...(query ? { query } : {}),
          ...(pager.cursor ? { cursor: pager.cursor } : {}),
        }),
      ),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader title="Products">
        <Button component={Link} to="/products/new">
          New product
        </Button>
      </PageHeader>
      <TextInput
        label="Search products"
        placeholder="Name, key or SKU"
        value={search}
        onChange={(e) => setSearch(e.currentTarget.value)}
        mb="md"
        maw={400}
      />
      <QueryState
        query={products}
        label="products"
        isEmpty={(p) => p.items.length === 0}
        empty={query ? 'No product matches.' : 'No products yet.'}
      >
        {(page) => (
          <>
            <Table.ScrollContainer minWidth={600} scrollAreaProps={{ viewportProps: { tabIndex: 0 } }}>
              <Table striped highlightOnHover>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>Name</Table.Th>
                    <Table.Th>Key</Table.Th>
                    <Table.Th>Variants</Table.Th>
                    <Table.Th>Price</Table.Th>
                    <Table.Th>Status</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {page.items.map((p) => {
                    const price = p.variants[0]?.prices[0];
                    return (
                      <Table.Tr key={p.id}>
                        <Table.Td>
                          <Anchor component={Link} to={`/products/${p.id}`}>
                            {blockText(p.blocks, 'name') || p.key}
                          </Anchor>
                        </Table.Td>
                        <Table.Td>{p.key}</Table.Td>
                        <Table.Td>{p.variants.length}</Table.Td>
                        <Table.Td>{price ? money(price.amount, price.currency) : '—'}</Table.Td>
                        <Table.Td>
                          <Badge color={p.status === 'active' ? 'green' : 'gray'}>{p.status}</Badge>
                        </Table.Td>
                      </Table.Tr>
                    );
                  })}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Group mt="sm">
              <CursorPager pager={pager} page={page} />
            </Group>
          </>
        )}
      </QueryState>
    </>
  );
}
