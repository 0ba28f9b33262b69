// Benchmark: the files pipeline. (1) Extraction throughput per type with the real parsers (unpdf,
// officeparser, tesseract.js), in this thread, on generated documents of known size and on the OCR
// fixture; (2) chunking and indexing, in chunks per second, on SQLite (FTS5) and PostgreSQL
// (tsvector); (3) local search p50/p99 over 10,000 and 100,000 chunks on both; (4) request latency
// (GET /health and GET /files/list) on a built server while it processes large PDFs, against idle.
// PostgreSQL is a throwaway cluster started for the run (Debian's server binaries). Bounded by
// counts: a fixed number of runs, chunks, queries and requests.
import { readFile } from 'node:fs/promises';
import { createRequire, registerHooks } from 'node:module';
import { ms, quantile } from './stats.mjs';

// The test helpers are TypeScript importing siblings by their `.js` names: let Node find the `.ts`.
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (specifier.startsWith('.') && specifier.endsWith('.js')) {
        return next(`${specifier.slice(0, -3)}.ts`, context);
      }
      throw error;
    }
  },
});

const EXTRACT_RUNS = 5;
const OCR_RUNS = 3;
const QUERIES = 200;
const LATENCY_REQUESTS = 400;

const serverRequire = createRequire(new URL('../reference-server/package.json', import.meta.url));
const { zipSync, strToU8 } = await import(
  createRequire(serverRequire.resolve('officeparser')).resolve('fflate')
);
const { OfficeParser, OfficeGenerator } = await import(serverRequire.resolve('officeparser'));
const { allReaders, defaultExtractionLimits, extractText } = await import(
  '../packages/engine/dist/extract/index.js'
);
const { chunkText } = await import('../packages/engine/dist/index.js');

// A vocabulary of made-up words, so search terms have known, even frequencies.
const vocabulary = Array.from(
  { length: 4000 },
  (_, n) => `w${n.toString(36)}x${((n * 7919) % 997).toString(36)}`,
);
let seed = 42;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const sentence = (words = 12) =>
  `${Array.from({ length: words }, () => vocabulary[Math.floor(random() * vocabulary.length)]).join(' ')}.`;
const paragraph = (sentences = 6) => Array.from({ length: sentences }, () => sentence()).join(' ');

const xml = (body) => `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n${body}`;
const escapeXml = (text) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const zip = (entries) =>
  zipSync(Object.fromEntries(Object.entries(entries).map(([name, value]) => [name, strToU8(value)])));

/** A PDF of `pages` pages, each `lines` lines of Helvetica, with its cross-reference table. */
const makePdf = (pages, lines) => {
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const kids = [];
  for (let p = 0; p < pages; p++) {
    const text = Array.from(
      { length: lines },
      (_, l) => `BT /F1 10 Tf 40 ${760 - l * 14} Td (${sentence(9)}) Tj ET`,
    ).join('\n');
    objects.push(`<< /Length ${text.length} >>\nstream\n${text}\nendstream`);
    const contents = objects.length;
    objects.push(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${contents} 0 R /Resources << /Font << /F1 3 0 R >> >> >>`,
    );
    kids.push(`${objects.length} 0 R`);
  }
  objects[1] = `<< /Type /Pages /Kids [${kids.join(' ')}] /Count ${pages} >>`;
  let pdf = '%PDF-1.4\n';
  const offsets = objects.map((object, index) => {
    const offset = pdf.length;
    pdf += `${index + 1} 0 obj\n${object}\nendobj\n`;
    return offset;
  });
  const xref = pdf.length;
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) pdf += `${String(offset).padStart(10, '0')} 00000 n \n`;
  pdf += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new TextEncoder().encode(pdf);
};

const makeDocx = async (paragraphs) => {
  const markdown = Array.from({ length: paragraphs }, () => paragraph()).join('\n\n');
  const ast = await OfficeParser.parseOffice(Buffer.from(markdown), { fileType: 'md' });
  return new Uint8Array((await OfficeGenerator.generate(ast, 'docx')).value);
};

const makeXlsx = (rows) => {
  const strings = [];
  const sheetRows = [];
  for (let r = 1; r <= rows; r++) {
    const cells = ['A', 'B', 'C'].map((column) => {
      strings.push(sentence(4));
      return `<c r="${column}${r}" t="s"><v>${strings.length - 1}</v></c>`;
    });
    sheetRows.push(`<row r="${r}">${cells.join('')}</row>`);
  }
  return zip({
    '[Content_Types].xml': xml(
      '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
    ),
    '_rels/.rels': xml(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    ),
    'xl/workbook.xml': xml(
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    'xl/_rels/workbook.xml.rels': xml(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
    ),
    'xl/sharedStrings.xml': xml(
      `<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t>${escapeXml(s)}</t></si>`).join('')}</sst>`,
    ),
    'xl/worksheets/sheet1.xml': xml(
      `<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`,
    ),
  });
};

const makePptx = (slides) => {
  const ns =
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"';
  const entries = {
    '[Content_Types].xml': xml(
      `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/>${Array.from({ length: slides }, (_, n) => `<Override PartName="/ppt/slides/slide${n + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.slide+xml"/>`).join('')}</Types>`,
    ),
    '_rels/.rels': xml(
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>',
    ),
    'ppt/presentation.xml': xml(
      `<p:presentation ${ns}><p:sldIdLst>${Array.from({ length: slides }, (_, n) => `<p:sldId id="${256 + n}" r:id="rId${n + 1}"/>`).join('')}</p:sldIdLst><p:sldSz cx="9144000" cy="6858000"/><p:notesSz cx="6858000" cy="9144000"/></p:presentation>`,
    ),
    'ppt/_rels/presentation.xml.rels': xml(
      `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${Array.from({ length: slides }, (_, n) => `<Relationship Id="rId${n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/slide" Target="slides/slide${n + 1}.xml"/>`).join('')}</Relationships>`,
    ),
  };
  for (let n = 1; n <= slides; n++) {
    const paragraphs = Array.from({ length: 8 }, () => `<a:p><a:r><a:t>${sentence()}</a:t></a:r></a:p>`).join(
      '',
    );
    entries[`ppt/slides/slide${n}.xml`] = xml(
      `<p:sld ${ns}><p:cSld><p:spTree><p:nvGrpSpPr><p:cNvPr id="1" name=""/><p:cNvGrpSpPr/><p:nvPr/></p:nvGrpSpPr><p:grpSpPr/><p:sp><p:nvSpPr><p:cNvPr id="2" name="Text"/><p:cNvSpPr txBox="1"/><p:nvPr/></p:nvSpPr><p:spPr/><p:txBody><a:bodyPr/>${paragraphs}</p:txBody></p:sp></p:spTree></p:cSld></p:sld>`,
    );
  }
  return zip(entries);
};

const makeHtml = (paragraphs) =>
  new TextEncoder().encode(
    `<!DOCTYPE html><html lang="en"><head><title>Bench</title></head><body>${Array.from({ length: paragraphs }, () => `<p>${paragraph()}</p>`).join('\n')}</body></html>`,
  );

const makeText = (paragraphs) =>
  new TextEncoder().encode(Array.from({ length: paragraphs }, () => paragraph()).join('\n\n'));

const median = (values) => quantile(values, 0.5);
const mb = (bytes) => bytes / (1024 * 1024);

// --- (1) Extraction throughput ---------------------------------------------------------------------

const ocr = serverRequire('@tesseract.js-data/eng');
const documents = [
  ['PDF (200 pages)', 'application/pdf', makePdf(200, 50)],
  ['docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', await makeDocx(1500)],
  ['xlsx (6,000 rows)', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', makeXlsx(6000)],
  [
    'pptx (200 slides)',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
    makePptx(200),
  ],
  ['HTML', 'text/html', makeHtml(3000)],
  ['plain text', 'text/plain', makeText(3000)],
];
console.log(`Extraction, in this thread, median of ${EXTRACT_RUNS} runs (after one warm-up):`);
let sampleText = '';
for (const [label, contentType, bytes] of documents) {
  const run = () =>
    contentType === 'text/plain'
      ? Promise.resolve(new TextDecoder().decode(bytes))
      : extractText({ bytes, contentType, limits: defaultExtractionLimits, readers: allReaders });
  const text = await run();
  if (contentType === 'text/plain') sampleText = text;
  const times = [];
  for (let i = 0; i < EXTRACT_RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  const time = median(times);
  console.log(
    `  ${label}: ${mb(bytes.length).toFixed(2)} MB in, ${mb(text.length).toFixed(2)} M chars out, ${ms(time)}: ${(mb(bytes.length) / (time / 1000)).toFixed(2)} MB/s`,
  );
}
{
  const bytes = new Uint8Array(
    await readFile(new URL('../tests/fixtures/files/sample.png', import.meta.url)),
  );
  const times = [];
  for (let i = 0; i < OCR_RUNS; i++) {
    const started = performance.now();
    await extractText({
      bytes,
      contentType: 'image/png',
      limits: defaultExtractionLimits,
      readers: allReaders,
      ocr,
    });
    times.push(performance.now() - started);
  }
  const time = median(times);
  console.log(
    `  image OCR (PNG fixture, ${bytes.length} bytes, one line of text; worker start included): ${ms(time)} per image: ${(mb(bytes.length) / (time / 1000)).toFixed(3)} MB/s`,
  );
}

// --- (2) Chunking, and (3) indexing and search on both databases ------------------------------------

{
  const times = [];
  let chunks = 0;
  for (let i = 0; i < EXTRACT_RUNS; i++) {
    const started = performance.now();
    chunks = chunkText(sampleText).length;
    times.push(performance.now() - started);
  }
  console.log(
    `Chunking ${mb(sampleText.length).toFixed(2)} M chars (1,000 a chunk, 200 overlap): ${chunks} chunks in ${ms(median(times))}: ${Math.round(chunks / (median(times) / 1000))} chunks/s`,
  );
}

const { openDatabase } = await import('../reference-server/dist/storage/index.js');
const { createChunkIndex, createFileStore } = await import(
  '../reference-server/dist/areas/files/sql-repository.js'
);
const { findPostgresBin, launchPostgresCluster, createTestPostgresDatabase } = await import(
  '../tests/postgres.ts'
);
const { mkdtemp, rm } = await import('node:fs/promises');
const { tmpdir } = await import('node:os');
const { join } = await import('node:path');

/** A chunk of about 1,000 characters, as the pipeline makes them. */
const chunkOf = () => {
  let text = '';
  while (text.length < 950) text += `${sentence()} `;
  return text.trim();
};

const FILE_CHUNKS = 1000;

/** Adds `count` chunks for one user, in files of 1,000; resolves chunks per second. */
const fill = async (fileStore, index, from, count) => {
  let indexed = 0;
  let time = 0;
  for (let f = from / FILE_CHUNKS; indexed < count; f++) {
    const id = `file_bench${String(f).padStart(6, '0')}`;
    const now = new Date().toISOString();
    await fileStore.create({
      id,
      user_id: 'usr_bench',
      filename: `${id}.txt`,
      content_type: 'text/plain',
      size: 0,
      blob_key: `bench/${id}`,
      status: 'completed',
      progress: 100,
      chunks_created: FILE_CHUNKS,
      error: null,
      conversation_id: null,
      created_at: now,
      updated_at: now,
    });
    const chunks = Array.from({ length: FILE_CHUNKS }, (_, n) => ({
      file_id: id,
      user_id: 'usr_bench',
      index: n,
      text: chunkOf(),
    }));
    const started = performance.now();
    await index.replace(id, chunks);
    time += performance.now() - started;
    indexed += FILE_CHUNKS;
  }
  return indexed / (time / 1000);
};

const searchTimes = async (index) => {
  const times = [];
  for (let q = 0; q < 20 + QUERIES; q++) {
    const query = `${vocabulary[Math.floor(random() * vocabulary.length)]} ${vocabulary[Math.floor(random() * vocabulary.length)]}?`;
    const started = performance.now();
    await index.search({ user_id: 'usr_bench', query, limit: 5 });
    if (q >= 20) times.push(performance.now() - started);
  }
  return { p50: quantile(times, 0.5), p99: quantile(times, 0.99) };
};

const benchDatabase = async (label, url) => {
  const opened = await openDatabase({ url });
  try {
    const index = createChunkIndex(opened.db);
    const files = createFileStore(opened.db);
    const rate10k = await fill(files, index, 0, 10_000);
    console.log(
      `${label}: indexing ${Math.round(rate10k)} chunks/s (first 10,000 chunks of ~1,000 characters)`,
    );
    const at10k = await searchTimes(index);
    console.log(
      `  search over 10,000 chunks, ${QUERIES} two-word queries, top 5: p50 ${ms(at10k.p50)}, p99 ${ms(at10k.p99)}`,
    );
    const rate100k = await fill(files, index, 10_000, 90_000);
    console.log(`  indexing ${Math.round(rate100k)} chunks/s (the next 90,000)`);
    const at100k = await searchTimes(index);
    console.log(`  search over 100,000 chunks: p50 ${ms(at100k.p50)}, p99 ${ms(at100k.p99)}`);
  } finally {
    await opened.close();
  }
};

const sqliteDir = await mkdtemp(join(tmpdir(), 'cartrita-bench-files-'));
try {
  await benchDatabase('SQLite (FTS5, bm25)', `sqlite://${join(sqliteDir, 'bench.sqlite')}`);
} finally {
  await rm(sqliteDir, { recursive: true, force: true });
}
const bin = findPostgresBin();
if (bin === undefined) {
  console.log('PostgreSQL: no server binaries found; skipped');
} else {
  const cluster = await launchPostgresCluster(bin);
  try {
    await cluster.ready;
    const database = await createTestPostgresDatabase(cluster.url);
    await benchDatabase('PostgreSQL (tsvector, ts_rank)', database.url);
  } finally {
    cluster.stop();
  }
}

// --- (4) Request latency while the pipeline is busy -------------------------------------------------

const { startTestServer } = await import('../reference-server/dist/testing.js');
const server = await startTestServer();
try {
  const headers = { 'x-api-key': server.apiKey };
  const latencies = async (path, count) => {
    const times = [];
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      const response = await fetch(`${server.url}${path}`, { headers });
      await response.arrayBuffer();
      if (response.status !== 200) throw new Error(`${path}: ${response.status}`);
      times.push(performance.now() - started);
    }
    return `p50 ${ms(quantile(times, 0.5))}, p99 ${ms(quantile(times, 0.99))}`;
  };
  // Warm-up: the first requests pay for the server's JIT and connection set-up.
  await latencies('/health', 50);
  await latencies('/files/list', 50);
  const idleHealth = await latencies('/health', LATENCY_REQUESTS);
  const idleList = await latencies('/files/list', LATENCY_REQUESTS);
  console.log(`Requests, idle (${LATENCY_REQUESTS} each, one after another, after 50 to warm up):`);
  console.log(`  GET /health ${idleHealth}; GET /files/list ${idleList}`);

  const big = makePdf(480, 60);
  const uploads = [];
  for (let n = 0; n < 3; n++) {
    const form = new FormData();
    form.set('file', new Blob([big]), `big-${n}.pdf`);
    const response = await fetch(`${server.url}/files/upload`, { method: 'POST', headers, body: form });
    uploads.push((await response.json()).file_id);
  }
  const statusOf = async (id) =>
    (await (await fetch(`${server.url}/files/status/${id}`, { headers })).json()).status;
  const busyHealth = await latencies('/health', LATENCY_REQUESTS);
  const busyList = await latencies('/files/list', LATENCY_REQUESTS);
  const states = await Promise.all(uploads.map(statusOf));
  console.log(
    `Requests while 3 PDFs of ${mb(big.length).toFixed(1)} MB (480 pages each) are processed (states after: ${states.join(', ')}):`,
  );
  console.log(`  GET /health ${busyHealth}; GET /files/list ${busyList}`);
  const startedWaiting = performance.now();
  let ended = [];
  for (let waited = 0; waited < 600; waited++) {
    ended = await Promise.all(uploads.map(statusOf));
    if (ended.every((state) => state === 'completed' || state === 'failed')) break;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  console.log(
    `  the 3 PDFs ended ${ended.join(', ')}, ${((performance.now() - startedWaiting) / 1000).toFixed(1)} s after the busy requests`,
  );
  const afterHealth = await latencies('/health', LATENCY_REQUESTS);
  const afterList = await latencies('/files/list', LATENCY_REQUESTS);
  console.log(`Requests, idle again: GET /health ${afterHealth}; GET /files/list ${afterList}`);
} finally {
  await server.close();
}
