/**
 * Multipart uploads (what `aws s3 cp` uses above 8 MB): parts are temporary files; completing concatenates the
 * listed parts into one file and commits it like a PutObject, with S3's `<md5 of part md5s>-N` ETag. Uploads in
 * progress live in memory only: a restart abandons them, as an S3 lifecycle rule would eventually.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream, rmSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { WrittenFile } from './object-store';
import { S3Error, isoDate, readSmallBody, receiveUpload, sendEmpty, sendXml, type S3Context } from './s3-context';
import { header, parseRange, sourceObject } from './s3-object-operations';
import { document, element, elementBlocks, elementValues } from './s3-xml';

interface Upload {
  readonly key: string;
  readonly contentType?: string;
  readonly parts: Map<number, WrittenFile>;
}

export class MultipartUploads {
  private readonly uploads = new Map<string, Upload>();

  create(ctx: S3Context, key: string): void {
    const uploadId = randomUUID().replace(/-/g, '');
    this.uploads.set(uploadId, { key, contentType: header(ctx, 'content-type'), parts: new Map() });
    sendXml(
      ctx,
      200,
      document(
        'InitiateMultipartUploadResult',
        element('Bucket', ctx.bucket) + element('Key', key) + element('UploadId', uploadId),
      ),
    );
  }

  async uploadPart(ctx: S3Context, key: string): Promise<void> {
    const { upload, partNumber } = this.partTarget(ctx, key);
    const copySource = header(ctx, 'x-amz-copy-source');
    let written: WrittenFile;
    if (copySource !== undefined) {
      const source = sourceObject(ctx, copySource);
      const range = parseRange(header(ctx, 'x-amz-copy-source-range'), source.size);
      if (range === 'unsatisfiable')
        throw new S3Error(400, 'InvalidArgument', `x-amz-copy-source-range is outside ${source.key}`);
      written = await ctx.store.writeTemp(ctx.store.read(source, range));
    } else {
      written = await receiveUpload(ctx);
    }
    const previous = upload.parts.get(partNumber);
    if (previous) ctx.store.discard(previous);
    upload.parts.set(partNumber, written);
    if (copySource !== undefined) {
      sendXml(
        ctx,
        200,
        document('CopyPartResult', element('LastModified', isoDate(new Date())) + element('ETag', `"${written.etag}"`)),
      );
    } else {
      sendEmpty(ctx, 200, { ETag: `"${written.etag}"` });
    }
  }

  async complete(ctx: S3Context, key: string): Promise<void> {
    const uploadId = ctx.query.get('uploadId') ?? '';
    const upload = this.upload(uploadId, key);
    const listed = elementBlocks(await readSmallBody(ctx), 'Part').map((block) => ({
      number: Number(elementValues(block, 'PartNumber')[0]),
      etag: (elementValues(block, 'ETag')[0] ?? '').replace(/"/g, ''),
    }));
    if (listed.length === 0)
      throw new S3Error(400, 'MalformedXML', 'expected <CompleteMultipartUpload> listing one or more <Part>');
    const files: WrittenFile[] = [];
    listed.forEach((part, index) => {
      if (index > 0 && part.number <= listed[index - 1].number) {
        throw new S3Error(
          400,
          'InvalidPartOrder',
          `parts must be listed in ascending order; part ${part.number} follows ${listed[index - 1].number}`,
        );
      }
      const file = upload.parts.get(part.number);
      if (file === undefined || file.etag !== part.etag) {
        throw new S3Error(
          400,
          'InvalidPart',
          `part ${part.number} with ETag "${part.etag}" was not uploaded to ${uploadId}`,
        );
      }
      files.push(file);
    });
    const assembled = ctx.store.tempPath();
    const out = createWriteStream(assembled);
    const partHashes = createHash('md5');
    for (const file of files) {
      partHashes.update(Buffer.from(file.etag, 'hex'));
      await pipeline(createReadStream(file.path), out, { end: false });
    }
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
    const etag = `${partHashes.digest('hex')}-${files.length}`;
    const size = files.reduce((total, file) => total + file.size, 0);
    const info = ctx.store.commitFile(
      key,
      { path: assembled, size, etag, sha256: '' },
      {
        contentType: upload.contentType,
        conditions: { ifMatch: header(ctx, 'if-match'), ifNoneMatch: header(ctx, 'if-none-match') },
        createdBy: 'CompleteMultipartUpload',
      },
    );
    this.drop(uploadId);
    const location = `http://${ctx.req.headers.host ?? '127.0.0.1'}/${ctx.bucket}/${key}`;
    sendXml(
      ctx,
      200,
      document(
        'CompleteMultipartUploadResult',
        element('Location', location) +
          element('Bucket', ctx.bucket) +
          element('Key', key) +
          element('ETag', `"${info.etag}"`),
      ),
    );
  }

  abort(ctx: S3Context, key: string): void {
    const uploadId = ctx.query.get('uploadId') ?? '';
    this.upload(uploadId, key);
    this.drop(uploadId);
    sendEmpty(ctx, 204);
  }

  /** Deletes every part file (at shutdown). */
  dropAll(): void {
    for (const uploadId of [...this.uploads.keys()]) this.drop(uploadId);
  }

  private drop(uploadId: string): void {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined) return;
    for (const file of upload.parts.values()) rmSync(file.path, { force: true });
    this.uploads.delete(uploadId);
  }

  private partTarget(ctx: S3Context, key: string): { upload: Upload; partNumber: number } {
    const upload = this.upload(ctx.query.get('uploadId') ?? '', key);
    const partNumber = Number(ctx.query.get('partNumber'));
    if (!Number.isInteger(partNumber) || partNumber < 1 || partNumber > 10000) {
      throw new S3Error(
        400,
        'InvalidArgument',
        `partNumber must be an integer from 1 to 10000, received ${ctx.query.get('partNumber')}`,
      );
    }
    return { upload, partNumber };
  }

  private upload(uploadId: string, key: string): Upload {
    const upload = this.uploads.get(uploadId);
    if (upload === undefined || upload.key !== key) {
      throw new S3Error(404, 'NoSuchUpload', `no multipart upload ${uploadId} is in progress for ${key}`);
    }
    return upload;
  }
}
