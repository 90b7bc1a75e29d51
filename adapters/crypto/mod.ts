/**
 * Encryption of secrets at rest: {@linkcode SecretBox} and the key it is built from.
 *
 * @module
 */
export { SecretBox } from "./secret_box.ts";
export { type LoadedSecretKey, loadOrCreateSecretKey, SECRET_KEY_FILE } from "./secret_key_file.ts";
