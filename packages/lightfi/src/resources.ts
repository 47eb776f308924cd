import { ConfigError, type OAuth2Auth, parseWith } from '@auth/core';
import { z } from 'zod';

/** An id as LightFi may send it: a number (locations, in FastAPI's integer paths) or a string (sensor serials). */
const idSchema = z.union([z.string().min(1, 'must not be empty'), z.number().finite()], {
  error: 'must be a string or a number',
});

/**
 * A LightFi location. LightFi does not publish its response shapes: only `id` is required and `name` checked;
 * every other field the API sends is kept as it came.
 */
export const lightFiLocationSchema = z.looseObject({
  id: idSchema,
  name: z.string({ error: 'must be a string' }).nullish(),
});

/** A LightFi sensor: `id` required, `name` checked when present, every other field kept. */
export const lightFiSensorSchema = z.looseObject({
  id: idSchema,
  name: z.string({ error: 'must be a string' }).nullish(),
});

/** `GET /locations`: assumed (unverified) to be a bare JSON array, as FastAPI list endpoints answer. */
export const lightFiLocationListSchema = z.array(lightFiLocationSchema, { error: 'must be an array' });

/** A location as {@link LightFiResources.listLocations} returns it: the checked fields plus whatever else came. */
export type LightFiLocation = z.output<typeof lightFiLocationSchema>;

/** A sensor as {@link LightFiResources.getSensor} returns it: the checked fields plus whatever else came. */
export type LightFiSensor = z.output<typeof lightFiSensorSchema>;

/** Options of the resource helpers. */
export interface ResourceRequestOptions {
  /** Cancels the request. */
  signal?: AbortSignal;
}

/** Typed helpers for LightFi's demo resources. */
export interface LightFiResources {
  /**
   * `GET /locations`: the locations the signed-in user can see.
   * @throws ApiError (401 only after a refresh and retry failed), ResponseValidationError naming the field
   */
  listLocations(options?: ResourceRequestOptions): Promise<LightFiLocation[]>;
  /**
   * `GET /sensors/{id}`: one sensor.
   * @throws ApiError (`status` 404 for an unknown sensor), ResponseValidationError naming the field
   */
  getSensor(id: string | number, options?: ResourceRequestOptions): Promise<LightFiSensor>;
}

/** Builds the resource helpers on an authenticated client. */
export function lightFiResources(auth: Pick<OAuth2Auth, 'client'>): LightFiResources {
  const get = async (path: string, options: ResourceRequestOptions): Promise<unknown> =>
    auth.client.get(path, options.signal === undefined ? {} : { signal: options.signal }).json<unknown>();
  return {
    async listLocations(options = {}) {
      return parseWith(
        lightFiLocationListSchema,
        await get('locations', options),
        'LightFi locations response',
      );
    },
    async getSensor(id, options = {}) {
      if (
        !((typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id)))
      ) {
        throw new ConfigError([{ option: 'id', message: 'must be a non-empty string or a finite number' }]);
      }
      const body = await get(`sensors/${encodeURIComponent(String(id))}`, options);
      return parseWith(lightFiSensorSchema, body, 'LightFi sensor response');
    },
  };
}
