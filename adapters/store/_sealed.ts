/**
 * The sealed columns both dialects store alike: a channel's config and a webhook's signing
 * secrets, as JSON encrypted with the SecretBox. One shape for both, so a database can move
 * between SQLite and Postgres.
 *
 * @module
 */
import type { ConfigValue, SigningSecret } from "../../core/domain.ts";
import type { SecretBox } from "../crypto/secret_box.ts";

/** Seals a channel config. */
export function sealConfig(config: Readonly<Record<string, ConfigValue>>, box: SecretBox): string {
  return box.encrypt(JSON.stringify(config));
}

/** Opens a sealed channel config. */
export function openChannelConfig(
  sealed: string,
  box: Pick<SecretBox, "decrypt">,
): Record<string, ConfigValue> {
  return JSON.parse(box.decrypt(sealed)) as Record<string, ConfigValue>;
}

/** Signing secrets as sealed JSON: `{ secret, createdAt, expiresAt }` with ms times. */
interface SigningSecretJson {
  secret: string;
  createdAt: number;
  expiresAt: number | null;
}

/** Seals a webhook's signing secrets, newest first as given. */
export function sealSigningSecrets(secrets: readonly SigningSecret[], box: SecretBox): string {
  const json: SigningSecretJson[] = secrets.map((s) => ({
    secret: s.secret,
    createdAt: s.createdAt.getTime(),
    expiresAt: s.expiresAt === null ? null : s.expiresAt.getTime(),
  }));
  return box.encrypt(JSON.stringify(json));
}

/** Opens sealed signing secrets. */
export function openSigningSecrets(
  sealed: string,
  box: Pick<SecretBox, "decrypt">,
): SigningSecret[] {
  return (JSON.parse(box.decrypt(sealed)) as SigningSecretJson[]).map((s) => ({
    secret: s.secret,
    createdAt: new Date(s.createdAt),
    expiresAt: s.expiresAt === null ? null : new Date(s.expiresAt),
  }));
}
