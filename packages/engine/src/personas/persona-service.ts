/** @module Personas (seed 003): each user's own, created, listed, changed and deleted. */
import type {
  PersonaCreateRequest,
  PersonaDeleted,
  PersonaList,
  PersonaUpdateRequest,
  Persona as WirePersona,
} from '@cartrita/contracts';
import type { Clock } from '../clock.js';
import { HttpError } from '../errors.js';
import type { PersonaImages } from './persona-images.js';
import type { PersonaChanges, PersonaStore, StoredPersona } from './repositories.js';

const toPersona = ({ user_id: _user, ...persona }: StoredPersona): WirePersona => persona;

const notFound = (id: string) => new HttpError('NOT_FOUND', `No persona ${id}.`);

/** Personas of the caller's user; others' are reported as absent. */
export class PersonaService {
  readonly #store: PersonaStore;
  readonly #clock: Clock;
  readonly #images: PersonaImages;

  constructor(store: PersonaStore, clock: Clock, images: PersonaImages) {
    this.#store = store;
    this.#clock = clock;
    this.#images = images;
  }

  /** Refuses an `image_path` that no upload answered: a persona shows only images stored here. */
  async #checkImage(imagePath: string | null | undefined): Promise<void> {
    if (imagePath === null || imagePath === undefined || (await this.#images.exists(imagePath))) return;
    throw HttpError.validation(
      [{ path: 'body.image_path', message: 'No image is stored at this path' }],
      `No image is stored at ${imagePath}: upload it with POST /api/personas/upload-image first`,
    );
  }

  /** Creates a persona of the user. */
  async create(request: PersonaCreateRequest, userId: string): Promise<WirePersona> {
    await this.#checkImage(request.image_path);
    const at = this.#clock.now().toISOString();
    const persona = await this.#store.create({
      id: crypto.randomUUID(),
      user_id: userId,
      name: request.name,
      description: request.description ?? null,
      template: request.template,
      mode: request.mode,
      first_message: request.first_message ?? null,
      image_path: request.image_path ?? null,
      is_active: request.is_active,
      created_at: at,
      updated_at: at,
    });
    return toPersona(persona);
  }

  /** The user's personas, oldest first; only active or inactive ones when `active` is given. */
  async list(query: { active?: boolean | undefined }, userId: string): Promise<PersonaList> {
    const personas = await this.#store.list({
      user_id: userId,
      ...(query.active === undefined ? {} : { active: query.active }),
    });
    return { personas: personas.map(toPersona), total: personas.length };
  }

  /** The stored persona, for the chat pipeline (its template is the system prompt); 404 when not the user's. */
  async stored(id: string, userId: string): Promise<StoredPersona> {
    const persona = await this.#store.get(userId, id);
    if (!persona) throw notFound(id);
    return persona;
  }

  /** One persona of the user. */
  async get(id: string, userId: string): Promise<WirePersona> {
    return toPersona(await this.stored(id, userId));
  }

  /** Changes the fields given. */
  async update(id: string, request: PersonaUpdateRequest, userId: string): Promise<WirePersona> {
    await this.#checkImage(request.image_path);
    const changes: PersonaChanges = { updated_at: this.#clock.now().toISOString() };
    for (const key of [
      'name',
      'description',
      'template',
      'mode',
      'first_message',
      'image_path',
      'is_active',
    ] as const) {
      if (request[key] !== undefined) Object.assign(changes, { [key]: request[key] });
    }
    const persona = await this.#store.update(userId, id, changes);
    if (!persona) throw notFound(id);
    return toPersona(persona);
  }

  /** Deletes a persona of the user. */
  async delete(id: string, userId: string): Promise<PersonaDeleted> {
    if (!(await this.#store.delete(userId, id))) throw notFound(id);
    return { id, deleted: true };
  }
}
