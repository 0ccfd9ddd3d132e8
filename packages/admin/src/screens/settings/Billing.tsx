import { Alert, Badge, Button, Card, Group, List, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import type { Store, SubscriptionPlan } from '@openarky/contract';
import { must, sdk } from '../../api/client.ts';
import { useSession } from '../../api/session.ts';
import { dateTime, money } from '../../api/format.ts';
import { FormError } from '../../components/FormError.tsx';
import { QueryState } from '../../components/QueryState.tsx';

type Subscription = NonNullable<Store['subscription']>;

const STATUS: Record<Subscription['status'], { label: string; color: string }> = {
  pending: { label: 'Waiting for payment', color: 'yellow' },
  active: { label: 'Active', color: 'green' },
  cancellation_scheduled: { label: 'Ends at the end of the period', color: 'orange' },
  cancelled: { label: 'Cancelled', color: 'gray' },
  expired: { label: 'Expired', color: 'gray' },
};

/** Where Stripe sends the merchant back to: this screen, with the outcome in the query. */
const back = (outcome: string) => `${window.location.origin}/admin/settings/billing?checkout=${outcome}`;

/** Moves the browser to a Stripe page (Checkout or the Billing Portal). */
const redirect = (url: string) => window.location.assign(url);

/**
 * The store's plan and subscription: switch to the free plan at once, subscribe to a paid plan
 * through Stripe Checkout, manage payment details and invoices in Stripe's Billing Portal.
 */
export function Billing() {
  const { storeId } = useSession();
  const data = useQuery({
    queryKey: ['billing', storeId],
    queryFn: async () => {
      const [store, plans] = await Promise.all([
        must(sdk.store.getStore()),
        must(sdk.store.getSubscriptionPlans()),
      ]);
      return { subscription: store.subscription ?? null, plans };
    },
  });
  const subscribe = useMutation({
    mutationFn: (plan: SubscriptionPlan) =>
      must(
        sdk.store.subscribe({ plan_id: plan.id, success_url: back('done'), cancel_url: back('cancelled') }),
      ),
    // A paid plan answers a Checkout URL; a free plan is active at once (url null).
    onSuccess: (r) => r.url && redirect(r.url),
  });
  const portal = useMutation({
    mutationFn: () => must(sdk.store.createPortalSession({ return_url: back('portal') })),
    onSuccess: (r) => redirect(r.url),
  });
  const outcome = new URLSearchParams(window.location.search).get('checkout');

  return (
    <QueryState
      query={data}
      label="plans"
      isEmpty={(d) => d.plans.length === 0}
      empty="No plans on this server."
    >
      {({ subscription, plans }) => {
        const current = plans.find((p) => p.id === subscription?.plan_id);
        const pending = plans.find((p) => p.id === subscription?.pending_plan_id);
        const paid = !!current && current.amount > 0 && subscription?.status !== 'cancelled';
        return (
          <Stack>
            {outcome === 'done' ? (
              <Alert color="green" title="Payment received by Stripe">
                The plan changes as soon as Stripe confirms the subscription.
              </Alert>
            ) : outcome === 'cancelled' ? (
              <Alert color="yellow" title="Checkout cancelled">
                Nothing was charged.
              </Alert>
            ) : null}
            <Card withBorder data-testid="current-plan">
              <Group justify="space-between" align="flex-start">
                <Stack gap={4}>
                  <Text size="sm" c="dimmed">
                    Current plan
                  </Text>
                  <Title order={2} size="h3">
                    {current?.name ?? 'No plan'}
                  </Title>
                  {subscription ? (
                    <Group gap="xs">
                      <Badge color={STATUS[subscription.status].color} data-testid="subscription-status">
                        {STATUS[subscription.status].label}
                      </Badge>
                      {subscription.end_date ? (
                        <Text size="sm">Until {dateTime(subscription.end_date)}</Text>
                      ) : null}
                    </Group>
                  ) : (
                    <Text size="sm">This store has no subscription yet.</Text>
                  )}
                  {pending ? <Text size="sm">Changing to {pending.name} once paid.</Text> : null}
                </Stack>
                {paid ? (
                  <Button variant="default" loading={portal.isPending} onClick={() => portal.mutate()}>
                    Manage billing
                  </Button>
                ) : null}
              </Group>
            </Card>
            {subscribe.isError ? <FormError error={subscribe.error} /> : null}
            {portal.isError ? <FormError error={portal.error} /> : null}
            <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
              {plans.map((p) => {
                const isCurrent = p.id === current?.id && subscription?.status !== 'cancelled';
                return (
                  <Card withBorder key={p.id} data-testid={`plan-${p.id}`}>
                    <Stack gap="xs">
                      <Title order={3} size="h4">
                        {p.name}
                      </Title>
                      <Text fw={700}>
                        {p.amount === 0
                          ? 'Free'
                          : `${money(p.amount, p.currency)} / ${p.interval_count > 1 ? `${p.interval_count} ` : ''}${p.interval}`}
                      </Text>
                      {p.trial_period_days > 0 ? (
                        <Text size="sm">{p.trial_period_days}-day trial</Text>
                      ) : null}
                      {p.features.length ? (
                        <List size="sm">
                          {p.features.map((f) => (
                            <List.Item key={f}>{f}</List.Item>
                          ))}
                        </List>
                      ) : null}
                      <Button
                        disabled={isCurrent}
                        variant={p.amount === 0 ? 'default' : 'filled'}
                        loading={subscribe.isPending && subscribe.variables?.id === p.id}
                        onClick={() => subscribe.mutate(p)}
                      >
                        {isCurrent
                          ? 'Current plan'
                          : p.amount === 0
                            ? `Switch to ${p.name}`
                            : `Subscribe to ${p.name}`}
                      </Button>
                    </Stack>
                  </Card>
                );
              })}
            </SimpleGrid>
          </Stack>
        );
      }}
    </QueryState>
  );
}
