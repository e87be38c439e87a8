import { randomBytes } from 'node:crypto';
import { posix } from 'node:path';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { objectUrl } from './object-url.ts';

/**
 * A web framework's file storage on S3, like django-storages' S3Boto3Storage in the
 * course: the framework names files (`avatars/kim.png`), the storage keeps them under
 * its `location` prefix (`media/avatars/kim.png`). One storage for media (uploads,
 * private, reached by presigned links) and one for static files (public).
 */
export interface StorageOptions {
  client: S3Client;
  bucket: string;
  /** The key prefix, without a trailing slash: `media`, `static`. */
  location: string;
  /** How long a presigned link works, in seconds (media). */
  urlExpiresIn: number;
  /** True for static files: the bucket policy lets everyone read them, so url() needs no signature. */
  publicUrls?: boolean;
}

export interface Listing {
  /** Sub-folders directly under the path, by name (`2024`, not `media/photos/2024/`). */
  directories: string[];
  /** Files directly under the path, by name (`kim.png`). */
  files: string[];
}

export class S3Storage {
  constructor(readonly options: StorageOptions) {}

  /** The object key of a file name: `media` + `avatars/kim.png` -> `media/avatars/kim.png`. */
  key(name: string): string {
    return `${this.options.location}/${name.replace(/^\/+/, '')}`;
  }

  /**
   * TODO 1a: A name that no object uses yet: `name` itself when it is free, else the
   * name with a random suffix before the extension (`kim.png` -> `kim_x7Kq2pA.png`),
   * as Django's get_available_name does. Ask S3 with `this.exists()`.
   */
  async getAvailableName(name: string): Promise<string> {
    // BEGIN SOLUTION TODO 1
    const { dir, name: stem, ext } = posix.parse(name);
    let candidate = name;
    while (await this.exists(candidate)) {
      const suffix = randomBytes(6).toString('base64url').replace(/[-_]/g, 'x').slice(0, 7);
      candidate = posix.join(dir, `${stem}_${suffix}${ext}`);
    }
    return candidate;
    // END SOLUTION
  }

  /**
   * TODO 1b: Stores `body` under a free name (never over another file) with its content
   * type, and returns the name it used (what the framework keeps in its database).
   */
  async save(name: string, body: Uint8Array | string, contentType: string): Promise<string> {
    // BEGIN SOLUTION TODO 1
    const available = await this.getAvailableName(name);
    await this.options.client.send(new PutObjectCommand({ Bucket: this.options.bucket, Key: this.key(available), Body: body, ContentType: contentType }));
    return available;
    // END SOLUTION
  }

  /** TODO 1c: The file's bytes. */
  async open(name: string): Promise<Uint8Array> {
    // BEGIN SOLUTION TODO 1
    const { Body } = await this.options.client.send(new GetObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }));
    return Body!.transformToByteArray();
    // END SOLUTION
  }

  /**
   * TODO 1d: Whether the file exists, by HeadObject: 404 means no. A 403 means you may not
   * look (another account's bucket, a policy): that is not "no", so let the error through.
   */
  async exists(name: string): Promise<boolean> {
    // BEGIN SOLUTION TODO 1
    try {
      await this.options.client.send(new HeadObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }));
      return true;
    } catch (error) {
      // HEAD errors have no body: the SDK names a 404 `NotFound`; the status is what counts.
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return false;
      throw error;
    }
    // END SOLUTION
  }

  /** TODO 1e: Deletes the file (deleting a missing file is not an error on S3). */
  async delete(name: string): Promise<void> {
    // BEGIN SOLUTION TODO 1
    await this.options.client.send(new DeleteObjectCommand({ Bucket: this.options.bucket, Key: this.key(name) }));
    // END SOLUTION
  }

  /**
   * TODO 1f: What is directly under `path` (`''` for the top of the location): folders and
   * files, like `ls`. ListObjectsV2 with `Delimiter: '/'` and `Prefix` folds everything
   * deeper into CommonPrefixes; a page holds at most 1,000 entries, so read every page.
   */
  async listdir(path = ''): Promise<Listing> {
    // BEGIN SOLUTION TODO 1
    const prefix = path === '' ? `${this.options.location}/` : `${this.key(path).replace(/\/+$/, '')}/`;
    const listing: Listing = { directories: [], files: [] };
    for await (const page of paginateListObjectsV2({ client: this.options.client }, { Bucket: this.options.bucket, Prefix: prefix, Delimiter: '/' })) {
      for (const common of page.CommonPrefixes ?? []) listing.directories.push(common.Prefix!.slice(prefix.length, -1));
      for (const object of page.Contents ?? []) listing.files.push(object.Key!.slice(prefix.length));
    }
    return listing;
    // END SOLUTION
  }

  /**
   * TODO 2: The URL a browser uses for the file. Media files are private: a presigned GET
   * (SigV4 in the query string) that works for `urlExpiresIn` seconds and no longer.
   * Static files (`publicUrls`) are public by the bucket policy: their plain URL
   * (`objectUrl`), which a browser can cache because it never changes.
   */
  async url(name: string): Promise<string> {
    // BEGIN SOLUTION TODO 2
    const { client, bucket, urlExpiresIn, publicUrls } = this.options;
    if (publicUrls) return objectUrl(client, bucket, this.key(name));
    return getSignedUrl(client, new GetObjectCommand({ Bucket: bucket, Key: this.key(name) }), { expiresIn: urlExpiresIn });
    // END SOLUTION
  }
}

/** The storage's operations as plain functions: how the grader calls your class from its own process. */
export function storageFunctions(options: StorageOptions) {
  const storage = new S3Storage(options);
  return {
    getAvailableName: (name: string) => storage.getAvailableName(name),
    save: (name: string, body: Uint8Array | string, contentType: string) => storage.save(name, body, contentType),
    open: (name: string) => storage.open(name),
    exists: (name: string) => storage.exists(name),
    delete: (name: string) => storage.delete(name),
    listdir: (path?: string) => storage.listdir(path),
    url: (name: string) => storage.url(name),
  };
}
