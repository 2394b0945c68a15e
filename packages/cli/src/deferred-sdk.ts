import Module from 'node:module';
import { sep } from 'node:path';

/** Module ids whose load is deferred: the AWS SDK service clients and lib-storage, which loads the S3 client. */
const DEFERRED = /^@aws-sdk\/(client-[a-z0-9-]+|lib-storage)$/;

type Load = (request: string, parent: NodeJS.Module | undefined, isMain: boolean) => unknown;
const loader = Module as unknown as { _load: Load };

/**
 * Makes `require` of an AWS SDK client from carelake's own packages return a stand-in that loads
 * the client on first use. The package indexes load the Glue, S3, Athena, Lake Formation and
 * Kinesis clients when imported, which cost about 0.1 s of every CLI start (medians of 8 runs of
 * `carelake help` on a shared 2-core machine). The compiled code reads exports at call time,
 * as in `client_s3_1.GetObjectCommand`, so the stand-in is enough. Requests from other packages, the SDK's own included, load as usual.
 * Returns a function that restores the normal loader.
 */
export function deferAwsSdkLoads(): () => void {
  const load = loader._load;

  loader._load = function deferredLoad(request, parent, isMain) {
    if (!DEFERRED.test(request) || !isCarelakeModule(parent)) return load.call(this, request, parent, isMain);
    let loaded: object | undefined;
    const target = (): object => (loaded ??= load.call(this, request, parent, isMain) as object);
    return new Proxy(
      {},
      {
        // TypeScript's `import * as` helper copies every export unless __esModule is true, which
        // would load the module at once. The clients have no default export, so true is safe.
        get: (_, key) => (key === '__esModule' ? true : Reflect.get(target(), key)),
        has: (_, key) => Reflect.has(target(), key),
        ownKeys: () => Reflect.ownKeys(target()),
        getOwnPropertyDescriptor: (_, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(target(), key);
          return descriptor ? { ...descriptor, configurable: true } : undefined;
        },
      },
    );
  };
  return () => {
    loader._load = load;
  };
}

/** Returns true for a compiled module of a carelake package, in the repository or installed under @carelake. */
function isCarelakeModule(parent: NodeJS.Module | undefined): boolean {
  const parts = (parent?.filename ?? '').split(sep);
  const dist = parts.lastIndexOf('dist');
  return dist >= 2 && (parts[dist - 2] === 'packages' || parts[dist - 2] === '@carelake');
}
