// Rewrites a copy of mediasoup's worker/meson.build (and deps/libwebrtc/meson.build) so the
// worker links Debian's system libraries instead of meson subprojects fetched from the
// internet. Why a rewrite rather than a wrap override: the wraps download sources at
// configure time, which cannot work offline.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const workerDir = process.argv[2];
if (!workerDir) {
  console.error('usage: patch-meson.mjs <copied worker dir>');
  process.exit(2);
}

function replaceOnce(text, from, to, what) {
  const i = text.indexOf(from);
  if (i < 0) throw new Error(`patch-meson: cannot find ${what} in meson.build (mediasoup layout changed?)`);
  return text.slice(0, i) + to + text.slice(i + from.length);
}

/** Cut from the first `start` marker to the end of the balanced (...)/[...] that follows it. */
function cutBlock(text, start, what) {
  const i = text.indexOf(start);
  if (i < 0) throw new Error(`patch-meson: cannot find ${what}`);
  let depth = 0;
  let j = i;
  for (; j < text.length; j++) {
    const c = text[j];
    if (c === '(' || c === '[') depth++;
    if (c === ')' || c === ']') {
      depth--;
      if (depth === 0) break;
    }
  }
  return { before: text.slice(0, i), after: text.slice(j + 1) };
}

const systemDeps = `
openssl_dep = dependency('openssl')
libuv_dep = dependency('libuv')
libsrtp_dep = dependency('libsrtp2')
usrsctp_dep = dependency('usrsctp')
flatbuffers_dep = dependency('flatbuffers')
absl_container_deps = [
  dependency('absl_flat_hash_map'),
  dependency('absl_flat_hash_set'),
  dependency('absl_btree'),
  dependency('absl_inlined_vector'),
]
absl_strings_deps = [
  dependency('absl_strings'),
  dependency('absl_optional'),
  dependency('absl_variant'),
]
`;

// --- worker/meson.build
const mainPath = join(workerDir, 'meson.build');
let main = readFileSync(mainPath, 'utf8');

for (const name of ['openssl', 'libuv', 'libsrtp3', 'usrsctp', 'abseil_cpp', 'catch2', 'flatbuffers']) {
  const { before, after } = cutBlock(main, `${name}_proj = subproject(`, `${name} subproject`);
  main = before + (name === 'openssl' ? systemDeps : '') + after;
}

{
  const { before, after } = cutBlock(main, 'dependencies = [', 'dependencies list');
  main =
    before +
    `dependencies = absl_container_deps + absl_strings_deps + [
  openssl_dep,
  libuv_dep,
  libsrtp_dep,
  usrsctp_dep,
  flatbuffers_dep,
  flatbuffers_generator_dep,
  libwebrtc_dep,
]` +
    after;
}
{
  const { before, after } = cutBlock(main, 'link_whole = [', 'link_whole list');
  main = before + 'link_whole = [\n  libwebrtc,\n]' + after;
}
// Tests and fuzzers need catch2 and clang's libFuzzer: not built here.
const testsAt = main.indexOf('test_sources = [');
if (testsAt < 0) throw new Error('patch-meson: cannot find test_sources');
main = main.slice(0, testsAt);
writeFileSync(mainPath, main);

// --- worker/deps/libwebrtc/meson.build
const webrtcPath = join(workerDir, 'deps', 'libwebrtc', 'meson.build');
let webrtc = readFileSync(webrtcPath, 'utf8');
{
  const { before, after } = cutBlock(webrtc, 'abseil_cpp_proj = subproject(', 'libwebrtc abseil subproject');
  webrtc = before + after;
}
webrtc = webrtc
  .replaceAll("openssl_proj.get_variable('openssl_dep')", 'openssl_dep')
  .replaceAll("flatbuffers_proj.get_variable('flatbuffers_dep')", 'flatbuffers_dep')
  .replaceAll("libuv_proj.get_variable('libuv_dep')", 'libuv_dep');
webrtc = webrtc.replaceAll(
  "abseil_cpp_proj.get_variable('absl_strings_dep'),\n    abseil_cpp_proj.get_variable('absl_types_dep'),",
  'absl_strings_deps,',
);
if (webrtc.includes('_proj.get_variable')) {
  throw new Error('patch-meson: libwebrtc meson.build still references a subproject');
}
writeFileSync(webrtcPath, webrtc);

// --- DtlsTransport.cpp: Debian's libssl3 is built with kernel TLS. mediasoup's BIO callback
// answers 1 to the post-call of every BIO_ctrl, which makes OpenSSL believe kTLS is active,
// skip allocating its DTLS write buffer and write through NULL on the first ServerHello.
// Returning the original result for every post-call is what the BIO API specifies.
const dtlsPath = join(workerDir, 'src', 'RTC', 'DtlsTransport.cpp');
let dtls = readFileSync(dtlsPath, 'utf8');
dtls = replaceOnce(
  dtls,
  'long resultOfcallback = (operationType == BIO_CB_RETURN) ? static_cast<long>(ret) : 1;',
  'long resultOfcallback = (operationType & BIO_CB_RETURN) ? static_cast<long>(ret) : 1;',
  'onSslBioOut result line',
);
writeFileSync(dtlsPath, dtls);
console.log('patch-meson: worker sources patched for system libraries');
