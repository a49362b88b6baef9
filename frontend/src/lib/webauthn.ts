// The browser's WebAuthn calls with the JSON forms DNSMate's API speaks (base64url
// strings): PublicKeyCredential.parse*OptionsFromJSON and credential.toJSON().

type JsonCredential = Record<string, unknown>;

interface PublicKeyCredentialJson {
  parseCreationOptionsFromJSON(options: unknown): PublicKeyCredentialCreationOptions;
  parseRequestOptionsFromJSON(options: unknown): PublicKeyCredentialRequestOptions;
}

function credentialClass(): PublicKeyCredentialJson {
  const cls = (window as unknown as { PublicKeyCredential?: PublicKeyCredentialJson })
    .PublicKeyCredential;
  if (!cls?.parseCreationOptionsFromJSON) {
    throw new Error("This browser does not support passkeys");
  }
  return cls;
}

function toJson(credential: Credential | null): JsonCredential {
  if (!credential) throw new Error("No passkey was chosen");
  return (credential as unknown as { toJSON(): JsonCredential }).toJSON();
}

/** Create a passkey from the server's registration options. */
export async function createPasskey(options: unknown): Promise<JsonCredential> {
  const publicKey = credentialClass().parseCreationOptionsFromJSON(options);
  return toJson(await navigator.credentials.create({ publicKey }));
}

/** Sign the server's challenge with one of the person's passkeys. */
export async function getPasskey(options: unknown): Promise<JsonCredential> {
  const publicKey = credentialClass().parseRequestOptionsFromJSON(options);
  return toJson(await navigator.credentials.get({ publicKey }));
}
