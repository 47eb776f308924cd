import { ConfigError } from '@auth/core';
import { definedOnly, parseWith } from '@auth/core/adapter';
import type { KyInstance } from '@auth/core/ky';
import * as z from 'zod/mini';

/** An id as LightFi may send it: a number (locations, in FastAPI's integer paths) or a string (sensor serials). */
const idSchema = z.union([z.string().check(z.minLength(1, 'must not be empty')), z.number()], {
  error: 'must be a string or a number',
});

/**
 * A LightFi location. LightFi does not publish its response shapes: only `id` is required and `name` checked;
 * every other field the API sends is kept as it came.
 */
export const lightFiLocationSchema = z.looseObject({
  id: idSchema,
  name: z.nullish(z.string({ error: 'must be a string' })),
});

/**
 * One latest reading, as LightFi's client example reads it: `{var_name, time (epoch seconds), value}`. `value` is
 * whatever the sensor reports (a number, a boolean, a string…); other fields are kept.
 */
export const lightFiSensorValueSchema = z.looseObject({
  var_name: z.string({ error: 'must be a string' }),
  time: z.number({ error: 'must be a number (epoch seconds)' }),
  value: z.unknown(),
});

/**
 * A LightFi sensor. LightFi documents no sensor object: its client example reads only `data` (the latest readings).
 * So nothing is required; `id` and `name` are checked when present, `data` when present, every other field kept.
 */
export const lightFiSensorSchema = z.looseObject({
  id: z.optional(idSchema),
  name: z.nullish(z.string({ error: 'must be a string' })),
  data: z.optional(z.array(lightFiSensorValueSchema, { error: 'must be an array' })),
});

/** `GET /sensors/{id}?project=latest&project=value`: `{data: [{var_name, time, value}]}`, other fields kept. */
export const lightFiLatestValuesSchema = z.looseObject({
  data: z.array(lightFiSensorValueSchema, { error: 'must be an array' }),
});

/** One latest reading of a sensor: `var_name` (e.g. `CO2ppm`), `time` in epoch SECONDS, `value`. */
export type LightFiSensorValue = z.output<typeof lightFiSensorValueSchema>;

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
  /**
   * `GET /sensors/{id}?project=latest&project=value`: the sensor's latest reading of each variable, as LightFi's
   * client example reads them (`data[]` of `{var_name, time (epoch s), value}`).
   * @throws ApiError (`status` 404 for an unknown sensor), ResponseValidationError naming the field
   */
  getLatestSensorValues(id: string | number, options?: ResourceRequestOptions): Promise<LightFiSensorValue[]>;
}

/** Builds the resource helpers on an authenticated client. */
export function lightFiResources(auth: { client: KyInstance }): LightFiResources {
  const get = async (
    path: string,
    options: ResourceRequestOptions,
    searchParams?: URLSearchParams,
  ): Promise<unknown> =>
    auth.client
      .get(path, {
        ...definedOnly({ signal: options.signal, searchParams }),
      })
      .json<unknown>();
  const sensorPath = (id: string | number): string => {
    if (!((typeof id === 'string' && id.trim() !== '') || (typeof id === 'number' && Number.isFinite(id)))) {
      throw new ConfigError([{ option: 'id', message: 'must be a non-empty string or a finite number' }]);
    }
    return `sensors/${encodeURIComponent(String(id))}`;
  };
  return {
    async listLocations(options = {}) {
      return parseWith(
        lightFiLocationListSchema,
        await get('locations', options),
        'LightFi locations response',
      );
    },
    async getSensor(id, options = {}) {
      const body = await get(sensorPath(id), options);
      return parseWith(lightFiSensorSchema, body, 'LightFi sensor response');
    },
    async getLatestSensorValues(id, options = {}) {
      const path = sensorPath(id);
      const project = new URLSearchParams([
        ['project', 'latest'],
        ['project', 'value'],
      ]);
      const body = await get(path, options, project);
      return parseWith(lightFiLatestValuesSchema, body, 'LightFi latest sensor values').data;
    },
  };
}
