import { useState } from 'react';
import {
  Button,
  Center,
  Paper,
  PasswordInput,
  PinInput,
  Stack,
  Tabs,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMutation } from '@tanstack/react-query';
import { must, sdk } from '../api/client.ts';
import { showFieldError } from '../api/errors.ts';
import { FormError } from '../components/FormError.tsx';

/** Email + password, or an emailed 6-digit code (which also creates the account on first use). */
export function SignIn() {
  return (
    <Center mih="100vh" p="md" component="main">
      <Paper withBorder p="xl" w="100%" maw={420} radius="md">
        <Title order={1} size="h2" mb="xs">
          Sign in to OpenArky
        </Title>
        <Text c="dimmed" size="sm" mb="lg">
          Manage your store, orders and content.
        </Text>
        <Tabs defaultValue="password">
          <Tabs.List grow mb="md">
            <Tabs.Tab value="password">Password</Tabs.Tab>
            <Tabs.Tab value="code">Email code</Tabs.Tab>
          </Tabs.List>
          <Tabs.Panel value="password">
            <PasswordForm />
          </Tabs.Panel>
          <Tabs.Panel value="code">
            <CodeForm />
          </Tabs.Panel>
        </Tabs>
      </Paper>
    </Center>
  );
}

function PasswordForm() {
  const form = useForm({ initialValues: { email: '', password: '' } });
  const login = useMutation({
    mutationFn: (v: { email: string; password: string }) => must(sdk.auth.login(v)),
    onError: (e) => showFieldError(form, e, ['email', 'password']),
  });
  return (
    <form onSubmit={form.onSubmit((v) => login.mutate(v))} noValidate>
      <Stack>
        <TextInput
          label="Email"
          type="email"
          autoComplete="email"
          required
          {...form.getInputProps('email')}
        />
        <PasswordInput
          label="Password"
          autoComplete="current-password"
          required
          {...form.getInputProps('password')}
        />
        {login.isError && !form.errors.email && !form.errors.password ? (
          <FormError error={login.error} />
        ) : null}
        <Button type="submit" loading={login.isPending}>
          Sign in
        </Button>
      </Stack>
    </form>
  );
}

function CodeForm() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  const form = useForm({ initialValues: { email: '', code: '' } });
  const send = useMutation({
    mutationFn: (email: string) => must(sdk.auth.code({ email })),
    onSuccess: (_r, email) => setSentTo(email),
    onError: (e) => showFieldError(form, e, ['email']),
  });
  const verify = useMutation({
    mutationFn: (v: { email: string; code: string }) => must(sdk.auth.verify(v)),
    onError: (e) => showFieldError(form, e, ['code', 'email']),
  });

  if (!sentTo) {
    return (
      <form onSubmit={form.onSubmit((v) => send.mutate(v.email))} noValidate>
        <Stack>
          <TextInput
            label="Email"
            type="email"
            autoComplete="email"
            required
            {...form.getInputProps('email')}
          />
          {send.isError && !form.errors.email ? <FormError error={send.error} /> : null}
          <Button type="submit" loading={send.isPending}>
            Email me a code
          </Button>
        </Stack>
      </form>
    );
  }
  return (
    <form onSubmit={form.onSubmit((v) => verify.mutate({ email: sentTo, code: v.code }))} noValidate>
      <Stack>
        <Text size="sm">We sent a 6-digit code to {sentTo}.</Text>
        <PinInput length={6} type="number" oneTimeCode aria-label="Code" {...form.getInputProps('code')} />
        {form.errors.code ? (
          <Text c="red" size="sm" role="alert">
            {form.errors.code}
          </Text>
        ) : null}
        {verify.isError && !form.errors.code ? <FormError error={verify.error} /> : null}
        <Button type="submit" loading={verify.isPending}>
          Sign in
        </Button>
        <Button variant="subtle" onClick={() => setSentTo(null)}>
          Use another email
        </Button>
      </Stack>
    </form>
  );
}
