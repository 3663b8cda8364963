// SCP-ECG → EcgRecording: section 3 (which leads, which samples), section 6 (rhythm data) and
// section 5 (reference beats), decoded with the section 2 tables and difference encoding.
// Not supported, and refused with a clear reason rather than decoded wrongly: rhythm data stored
// as residuals after reference-beat subtraction, and bimodal (decimated) compression — both
// need section 4's protected zones and re-interpolation, and no fixture or device here uses them.
import { buildChannel } from './channel.js';
import { leadFromNumber, orderChannels } from './leads.js';
import { EcgError, EcgSubject, type EcgGroup, type ImportedEcg } from './model.js';
import { readScpRecord } from './scp-container.js';
import { readScpDemographics } from './scp-demographics.js';
import { decodeLead, readHuffmanTables, undoDifferences, type HuffmanTable } from './scp-huffman.js';

interface LeadDefinition {
  id: number;
  start: number;
  end: number;
}

interface Section3 {
  leads: LeadDefinition[];
  referenceBeatSubtracted: boolean;
}

function readSection3(data: Uint8Array | undefined): Section3 {
  if (!data || data.byteLength < 2)
    throw new EcgError('no-waveform', 'SCP-ECG record has no lead definition (section 3)');
  const count = data[0]!;
  const flags = data[1]!;
  if (count === 0) throw new EcgError('no-waveform', 'SCP-ECG section 3 defines no leads');
  if (data.byteLength < 2 + count * 9)
    throw new EcgError('malformed', 'SCP-ECG section 3 ends inside its lead table');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const leads: LeadDefinition[] = [];
  for (let i = 0; i < count; i++) {
    const o = 2 + i * 9;
    const lead = {
      start: view.getUint32(o, true),
      end: view.getUint32(o + 4, true),
      id: view.getUint8(o + 8),
    };
    if (lead.start < 1 || lead.end < lead.start) {
      throw new EcgError(
        'malformed',
        `SCP-ECG section 3 lead ${i + 1} has samples ${lead.start}–${lead.end}`,
      );
    }
    leads.push(lead);
  }
  return { leads, referenceBeatSubtracted: (flags & 0x01) !== 0 };
}

interface EncodedBlock {
  /** Amplitude value multiplier, nV per step. */
  avm: number;
  /** Sample interval, µs. */
  intervalUs: number;
  differenceOrder: number;
  bimodal: boolean;
  leadData: Uint8Array[];
}

/** Sections 5 and 6 share a layout: AVM, interval, encoding, a flag byte, byte counts per lead, data. */
function readEncodedBlock(data: Uint8Array, leadCount: number, section: number): EncodedBlock {
  const header = 6 + leadCount * 2;
  if (data.byteLength < header)
    throw new EcgError('malformed', `SCP-ECG section ${section} is shorter than its header`);
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const leadData: Uint8Array[] = [];
  let o = header;
  for (let i = 0; i < leadCount; i++) {
    const n = view.getUint16(6 + i * 2, true);
    if (o + n > data.byteLength)
      throw new EcgError('malformed', `SCP-ECG section ${section} lead ${i + 1} data runs past the section`);
    leadData.push(data.subarray(o, o + n));
    o += n;
  }
  const block = {
    avm: view.getUint16(0, true),
    intervalUs: view.getUint16(2, true),
    differenceOrder: view.getUint8(4),
    bimodal: view.getUint8(5) === 1,
    leadData,
  };
  if (block.avm === 0)
    throw new EcgError('malformed', `SCP-ECG section ${section} has amplitude multiplier 0`);
  if (block.intervalUs === 0)
    throw new EcgError('malformed', `SCP-ECG section ${section} has sample interval 0`);
  return block;
}

const SCP_PADDING = -32768;

function groupFrom(
  block: EncodedBlock,
  leads: LeadDefinition[],
  counts: number[],
  tables: HuffmanTable[] | undefined,
  meta: { label: string; originality: 'ORIGINAL' | 'DERIVED'; offsets: number[] },
): EcgGroup {
  const total = Math.max(...counts.map((n, i) => meta.offsets[i]! + n));
  let padded = false;
  let wide = false;
  const channels = leads.map((lead, i) => {
    const values = undoDifferences(decodeLead(block.leadData[i]!, counts[i]!, tables), block.differenceOrder);
    let raw = values;
    if (values.length !== total) {
      // Leads recorded over different intervals: place each at its own start, pad the rest.
      padded = true;
      raw = new Int32Array(total).fill(SCP_PADDING);
      raw.set(values, meta.offsets[i]!);
    }
    for (const v of values) if (v < -32768 || v > 32767) wide = true;
    const name = leadFromNumber(lead.id);
    return buildChannel(raw, {
      code: { value: `5.6.3-9-${lead.id}`, scheme: 'SCPECG', ...(name ? { meaning: `Lead ${name}` } : {}) },
      label: name ?? `SCP lead ${lead.id}`,
      units: 'nV',
      sensitivity: block.avm,
      ...(padded ? { paddingValue: SCP_PADDING } : {}),
    });
  });
  return {
    label: meta.label,
    originality: meta.originality,
    samplingFrequency: 1e6 / block.intervalUs,
    numberOfSamples: total,
    bitsAllocated: wide ? 32 : 16,
    sampleInterpretation: wide ? 'SL' : 'SS',
    ...(padded ? { paddingValue: SCP_PADDING } : {}),
    channels: orderChannels(channels),
  };
}

/** SCP-ECG record bytes → waveforms (rhythm group, then the reference beats if present). */
export function readScpEcg(bytes: Uint8Array): ImportedEcg {
  const record = readScpRecord(bytes);
  const s = (id: number): Uint8Array | undefined => record.sections.get(id)?.data;
  const section3 = readSection3(s(3));
  const tables = readHuffmanTables(s(2));
  const { leads } = section3;
  const groups: EcgGroup[] = [];

  const rhythm = s(6);
  if (rhythm) {
    if (section3.referenceBeatSubtracted) {
      throw new EcgError(
        'unsupported',
        'SCP-ECG rhythm data stored after reference-beat subtraction is not supported',
      );
    }
    const block = readEncodedBlock(rhythm, leads.length, 6);
    if (block.bimodal) throw new EcgError('unsupported', 'SCP-ECG bimodal compression is not supported');
    const first = Math.min(...leads.map((l) => l.start));
    groups.push(
      groupFrom(
        block,
        leads,
        leads.map((l) => l.end - l.start + 1),
        tables,
        {
          label: 'RHYTHM',
          originality: 'ORIGINAL',
          offsets: leads.map((l) => l.start - first),
        },
      ),
    );
  }

  // Reference beats: their length comes from section 4 (duration of reference beat type 0, ms).
  const beats = s(5);
  const section4 = s(4);
  if (beats && section4 && section4.byteLength >= 2) {
    const block = readEncodedBlock(beats, leads.length, 5);
    const durationMs = new DataView(section4.buffer, section4.byteOffset, 2).getUint16(0, true);
    const count = Math.round((durationMs * 1000) / block.intervalUs);
    if (count > 0) {
      groups.push(
        groupFrom(
          block,
          leads,
          leads.map(() => count),
          tables,
          {
            label: 'REFERENCE BEAT',
            originality: 'DERIVED',
            offsets: leads.map(() => 0),
          },
        ),
      );
    }
  }
  if (groups.length === 0)
    throw new EcgError(
      'no-waveform',
      'SCP-ECG record has neither rhythm (section 6) nor reference beat (section 5) data',
    );
  return { recording: { source: 'scp-ecg', groups }, subject: new EcgSubject(readScpDemographics(s(1))) };
}
