#!/usr/bin/env node
/**
 * One-off (re-runnable) import of balena's public device-type contracts into device-types/ (issue 11).
 *
 *   node scripts/import-contracts.mjs [path/to/device-types-contracts.json]
 *   default input: ../shared/reference/device-types-contracts.json (see its .md beside it), else the
 *   tests' copy tests/unit/catalogue/fixtures/device-types-contracts-a4ab96e.json
 *
 * Re-running it changes nothing (a test checks that): files that exist are only completed.
 *
 * Then run `node scripts/gen-catalogue.mjs` to validate and regenerate the catalogue.
 *
 * What it maps, and why:
 *   contract            → device file
 *   slug, name          → slug, name (a device file that already exists keeps its hand-written name)
 *   aliases             → aliases, lower-cased, without the slug itself (the schema and findDevice
 *                         treat aliases case-insensitively and forbid an alias equal to a slug)
 *   arch                → arch (i386-nlp is kept: 32-bit x86 without PAE, Intel Quark)
 *   wifi, bluetooth     → capabilities.wifi / .bluetooth (booleans); ethernet and cellular are not
 *                         in the contracts: null ("the sources do not say") unless a file says more
 *   defaultBoot, altBoot, internalStorage, plus the contract's flashProtocol and instruction
 *                       → install (method, media, tool); see installFor() and INSTALL_EVIDENCE
 *   (nothing)           → image: the contracts say nothing about partitions. Only layout facts known
 *                         for a whole board support layer are recorded (LAYOUT_BY_FAMILY); the rest
 *                         is left out and the finder decides from the image at run time
 *   (nothing)           → family, manufacturer: from FAMILIES below (hand-kept, by slug)
 * Every file records which fields came from the contracts in contractFacts {commit, fields}.
 *
 * Merging with existing files: a file that exists keeps every hand-written fact (name, status, seed,
 * image, notes, userNotes, sources, capabilities that are already true/false). The import adds what
 * is missing (bluetooth; wifi when null; install) and never overwrites a hand-written value; where a
 * hand-written value disagrees with the contract it prints the disagreement and keeps the file's.
 * Files for slugs that are not in the contracts (ts7700) are completed the same way from their own
 * facts. An old `image.flasher` is turned into install.method "installer" (one home for the fact).
 *
 * Install method: `internalStorage` does NOT mean "installer image" (reference .md). The method is
 * read from what the contract tells the user to do, which the reference JSON leaves out, so it is
 * kept here as INSTALL_EVIDENCE, read from balena-io/contracts at the same commit:
 *   bootExternal    the instructions boot the board from external media and wait for it to finish
 *                   (partials bootDeviceExternal/flashIndicator): an installer image
 *   bootDevice      the instructions only power the board with the written card: card
 *   jetsonFlash     flashProtocol jetsonFlash: NVIDIA's tools write internal storage (vendor tool),
 *                   except on SD-card devkits (defaultBoot sdcard), which are written to a card
 *   RPIBOOT         flashProtocol RPIBOOT: usbboot (rpiboot) exposes the eMMC over USB (vendor tool)
 *   usbMassStorage  flashProtocol usbMassStorage: a vendor procedure exposes the eMMC over USB
 *   edisonFlash     flashProtocol edisonFlash: Intel's flashall.sh (dfu-util)
 *   qemu            instructions run the image in QEMU: a virtual machine
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const deviceDir = join(root, 'device-types');
const CONTRACTS_COMMIT = 'a4ab96e';
/**
 * The team's reference copy (../shared/reference beside the checkout; a worktree sits one level
 * deeper), else the copy the tests keep (tests/unit/catalogue/fixtures, same commit).
 */
const defaultInput = [
  join(root, '../shared/reference/device-types-contracts.json'),
  join(root, '../../shared/reference/device-types-contracts.json'),
  join(root, `tests/unit/catalogue/fixtures/device-types-contracts-${CONTRACTS_COMMIT}.json`),
].find((p) => existsSync(p));

/** What each contract tells the user to do (balena-io/contracts a4ab96e; see the header). */
const INSTALL_EVIDENCE = {
  'advantech-ecu1370': 'bootExternal', 'aio-3288c': 'bootDevice', 'am571x-evm': 'bootExternal',
  'apalis-imx6q': 'bootExternal', artik10: 'bootExternal', artik5: 'bootExternal', artik530: 'bootExternal',
  artik533s: 'bootExternal', artik710: 'bootExternal', 'astro-tx2': 'bootExternal', 'asus-tinker-board': 'bootDevice',
  'asus-tinker-board-s': 'bootExternal', 'asus-tinker-edge-t': 'bootExternal', 'bananapi-m1-plus': 'bootDevice',
  'beagleboard-xm': 'bootDevice', 'beaglebone-ai64': 'bootExternal', 'beaglebone-black': 'bootExternal',
  'beaglebone-green': 'bootExternal', 'beaglebone-green-gateway': 'bootExternal', 'beaglebone-green-wifi': 'bootExternal',
  'beaglebone-pocket': 'bootDevice', beagleplay: 'bootExternal', 'blackboard-tx2': 'bootExternal',
  'bluechiptechnology-db1': 'bootExternal', 'bluechiptechnology-tm3': 'bootExternal', 'ccimx8x-sbc-pro': 'bootExternal',
  'cl-som-imx8': 'bootExternal', 'cnx100-xavier-nx': 'jetsonFlash', 'colibri-imx6dl': 'bootExternal',
  'coral-dev': 'bootExternal', 'cybertan-ze250': 'bootExternal', edge: 'bootDevice', 'eg5120-imx8mp': 'bootExternal',
  'etcher-pro': 'bootExternal', fincm3: 'RPIBOOT', 'firefly-rk3288': 'bootDevice', 'floyd-nano': 'jetsonFlash',
  'forecr-dsb-nx2-xavier-nx-emmc': 'jetsonFlash', 'forecr-dsb-ornx-lan-orin-nx-16gb': 'bootExternal',
  'forecr-dsb-ornx-orin-nano-8gb': 'bootExternal', generic: 'bootDevice', 'generic-aarch64': 'bootDevice',
  'generic-amd64': 'bootExternal', 'generic-armv7ahf': 'bootDevice', 'genericx86-64-ext': 'bootExternal',
  hummingboard: 'bootDevice', 'imx6ul-var-dart': 'bootExternal', 'imx7-var-som': 'bootExternal',
  'imx8m-var-dart': 'bootExternal', 'imx8mm-lpddr4-evk': 'bootExternal', 'imx8mm-var-dart': 'bootExternal',
  'imx8mm-var-som': 'bootExternal', 'imx8mp-var-dart': 'bootExternal', 'intel-edison': 'edisonFlash',
  'intel-nuc': 'bootExternal', 'iot-gate-imx8': 'bootExternal', 'iot-gate-imx8plus': 'usbMassStorage',
  'iot-gate-imx8plus-d1d8': 'usbMassStorage', 'iot-link': 'usbMassStorage', iot2000: 'bootDevice',
  'iotdin-imx8p': 'usbMassStorage', 'iotdin-imx8p-d1d8': 'usbMassStorage', 'isg-503': 'bootExternal',
  'jetson-agx-orin-devkit': 'jetsonFlash', 'jetson-agx-orin-devkit-64gb': 'bootExternal',
  'jetson-agx-thor-devkit': 'bootExternal', 'jetson-nano': 'jetsonFlash', 'jetson-nano-2gb-devkit': 'jetsonFlash',
  'jetson-nano-emmc': 'jetsonFlash', 'jetson-orin-nano-devkit-nvme': 'bootExternal',
  'jetson-orin-nano-seeed-j3010': 'bootExternal', 'jetson-orin-nx-seeed-j4012': 'bootExternal',
  'jetson-orin-nx-xavier-nx-devkit': 'bootExternal', 'jetson-tx1': 'bootExternal', 'jetson-tx2': 'bootExternal',
  'jetson-tx2-nx-devkit': 'jetsonFlash', 'jetson-xavier': 'jetsonFlash', 'jetson-xavier-nx-devkit': 'jetsonFlash',
  'jetson-xavier-nx-devkit-emmc': 'jetsonFlash', 'jetson-xavier-nx-devkit-seeed-2mic-hat': 'bootDevice',
  'jn30b-nano': 'jetsonFlash', kitra520: 'bootExternal', kitra710: 'bootExternal', 'kontron-mx8mm': 'bootExternal',
  lcbzu9: 'bootDevice', 'n310-tx2': 'bootExternal', 'n510-tx2': 'bootExternal', 'nanopc-t4': 'bootExternal',
  'nanopi-neo-air': 'bootExternal', 'nanopi-r2c': 'bootDevice', 'nanopi-r2s': 'bootDevice', nitrogen6x: 'bootDevice',
  nitrogen6xq2g: 'bootDevice', nitrogen8mm: 'bootExternal', 'npe-x500-m3': 'bootDevice', 'odroid-c1': 'bootDevice',
  'odroid-xu4': 'bootDevice', 'odyssey-x86': 'bootExternal', 'orange-pi-lite': 'bootDevice',
  'orange-pi-one': 'bootDevice', 'orange-pi-zero': 'bootDevice', 'orangepi-plus2': 'bootExternal',
  'orbitty-tx2': 'bootExternal', owa5x: 'bootExternal', parallella: 'bootDevice', 'photon-nano': 'jetsonFlash',
  'photon-tx2-nx': 'jetsonFlash', 'photon-xavier-nx': 'jetsonFlash', 'phyboard-lyra-am62xx-2': 'bootExternal',
  qemux86: 'qemu', 'qemux86-64': 'qemu', 'radxa-cm3-rpicm4-ioboard': 'usbMassStorage', 'radxa-zero': 'usbMassStorage',
  'raspberry-pi': 'bootDevice', 'raspberry-pi2': 'bootDevice', 'raspberrypi0-2w-64': 'bootDevice',
  raspberrypi3: 'bootDevice', 'raspberrypi3-64': 'bootDevice', 'raspberrypi4-64': 'bootDevice',
  'raspberrypi4-edatec-sensing': 'RPIBOOT', 'raspberrypi4-unipi-neuron': 'bootDevice', 'raspberrypi400-64': 'bootDevice',
  raspberrypi5: 'bootDevice', 'raspberrypicm4-ioboard': 'RPIBOOT', 'revpi-connect': 'RPIBOOT',
  'revpi-connect-4': 'RPIBOOT', 'revpi-connect-s': 'RPIBOOT', 'revpi-core-3': 'RPIBOOT',
  'rockpi-4b-rk3399': 'bootExternal', rockpro64: 'bootDevice', 'smarc-px30': 'bootDevice', 'solidrun-n6g': 'bootDevice',
  'spacely-tx2': 'bootExternal', 'surface-go': 'bootExternal', 'surface-pro-6': 'bootExternal', tdpzu9: 'bootDevice',
  ts4900: 'bootExternal', 'ucm-imx93': 'bootExternal', 'up-board': 'bootExternal', 'up-core': 'bootExternal',
  'up-core-plus': 'bootExternal', 'up-squared': 'bootExternal', 'var-som-mx6': 'bootExternal',
  'via-vab820-quad': 'bootExternal', 'zc702-zynq7': 'bootDevice', // contract folder zynq-xz702
};

/** The contract's folder when it is not the slug. */
const CONTRACT_FOLDER = { 'zc702-zynq7': 'zynq-xz702' };

const JETSON_TOOL = "NVIDIA's flashing tools (L4T flash.sh, as run by balena's jetson-flash)";
const TOOLS = {
  jetsonFlash: JETSON_TOOL,
  RPIBOOT: 'usbboot (rpiboot), then an image writer',
  edisonFlash: "Intel's flashall.sh (dfu-util)",
  qemu: 'QEMU',
};
/** usbMassStorage boards name their own procedure. */
const USB_MASS_STORAGE_TOOLS = {
  'iot-gate-imx8plus': "Compulab's IOT-GATE-iMX8PLUS flashing tools (balena-os/iot-gate-imx8plus-flashtools)",
  'iot-gate-imx8plus-d1d8': "Compulab's IOT-GATE-iMX8PLUS flashing tools (balena-os/iot-gate-imx8plus-flashtools)",
  'iot-link': "Compulab's IOT-LINK flashing tools (balena-os/iot-gate-imx8plus-flashtools)",
  'iotdin-imx8p': "Compulab's IOTDIN-iMX8P flashing tools (balena-os/iot-gate-imx8plus-flashtools)",
  'iotdin-imx8p-d1d8': "Compulab's IOTDIN-iMX8P flashing tools (balena-os/iot-gate-imx8plus-flashtools)",
  'radxa-zero': "Radxa's maskrom tools (rkdeveloptool: eMMC in USB mass-storage mode), then an image writer",
  'radxa-cm3-rpicm4-ioboard': "Rockchip flash tools in maskrom mode (eMMC in USB mass-storage mode), then an image writer",
};

/** [slug pattern, family, manufacturer]; first match wins. */
const FAMILIES = [
  [/^raspberrypi4-edatec-sensing$/, 'Raspberry Pi', 'EDATEC'],
  [/^raspberrypi4-unipi-neuron$/, 'Raspberry Pi', 'UniPi'],
  [/^raspberry|^raspberrypi/, 'Raspberry Pi', 'Raspberry Pi Ltd'],
  [/^revpi-/, 'Revolution Pi', 'KUNBUS'],
  [/^fincm3$|^etcher-pro$/, 'balena', 'balena'],
  [/^jetson-.*seeed|^jetson-xavier-nx-devkit-seeed/, 'NVIDIA Jetson', 'Seeed Studio'],
  [/^jetson-|^blackboard-tx2$/, 'NVIDIA Jetson', 'NVIDIA'],
  [/^(astro|orbitty|spacely)-tx2$|^photon-/, 'NVIDIA Jetson', 'Connect Tech'],
  [/^n[35]10-tx2$/, 'NVIDIA Jetson', 'Aetina'],
  [/^cnx100-|^jn30b-/, 'NVIDIA Jetson', 'Auvidea'],
  [/^forecr-/, 'NVIDIA Jetson', 'Forecr'],
  [/^floyd-nano$/, 'NVIDIA Jetson', 'Floyd'],
  [/^beaglebone-green/, 'BeagleBoard', 'Seeed / BeagleBoard.org'],
  [/^beagle/, 'BeagleBoard', 'BeagleBoard.org'],
  [/^generic-amd64$|^genericx86-64-ext$|^generic$|^edge$/, 'Generic x86', '(generic)'],
  [/^intel-nuc$/, 'Generic x86', 'Intel'],
  [/^generic-aarch64$|^generic-armv7ahf$/, 'Generic ARM', '(generic)'],
  [/^surface-/, 'Microsoft Surface', 'Microsoft'],
  [/^odyssey-x86$/, 'Seeed ODYSSEY', 'Seeed Studio'],
  [/^up-/, 'UP', 'AAEON'],
  [/^qemux86/, 'QEMU', 'QEMU (virtual machine)'],
  [/^cybertan-/, 'Intel Quark', 'Cybertan'],
  [/^iot2000$/, 'Intel Quark', 'Siemens'],
  [/^artik/, 'Samsung ARTIK', 'Samsung'],
  [/^kitra/, 'RushUp Kitra', 'RushUp'],
  [/^asus-/, 'ASUS Tinker', 'ASUS'],
  [/-var-|^var-som-/, 'Variscite', 'Variscite'],
  [/^cl-som-|^iot-gate-|^iotdin-|^iot-link$|^ucm-/, 'Compulab', 'Compulab'],
  [/^apalis-|^colibri-/, 'Toradex', 'Toradex'],
  [/^imx8mm-lpddr4-evk$/, 'NXP i.MX', 'NXP'],
  [/^nitrogen/, 'Boundary Devices', 'Boundary Devices'],
  [/^hummingboard$|^solidrun-/, 'SolidRun', 'SolidRun'],
  [/^odroid-/, 'ODROID', 'Hardkernel'],
  [/^orange-?pi-/, 'Orange Pi', 'Shenzhen Xunlong (Orange Pi)'],
  [/^nanop/, 'FriendlyELEC NanoPi', 'FriendlyELEC'],
  [/^rockpi-|^radxa-/, 'Radxa', 'Radxa'],
  [/^rockpro64$/, 'Pine64', 'Pine64'],
  [/^coral-/, 'Google Coral', 'Google'],
  [/^am571x-/, 'Texas Instruments', 'Texas Instruments'],
  [/^phyboard-/, 'PHYTEC', 'PHYTEC'],
  [/^advantech-/, 'Advantech', 'Advantech'],
  [/^aio-3288c$|^firefly-/, 'Firefly', 'Firefly (T-Chip)'],
  [/^bananapi-/, 'Banana Pi', 'SinoVoip (Banana Pi)'],
  [/^ccimx8x-/, 'Digi ConnectCore', 'Digi International'],
  [/^eg5120-/, 'Robustel', 'Robustel'],
  [/^isg-503$/, 'Rocktech', 'Rocktech'],
  [/^kontron-/, 'Kontron', 'Kontron'],
  [/^lcbzu9$/, 'Xilinx Zynq', 'Eurotec'],
  [/^tdpzu9$/, 'Xilinx Zynq', 'Topic Embedded Systems'],
  [/^zc702-zynq7$/, 'Xilinx Zynq', 'Xilinx (AMD)'],
  [/^npe-x500-m3$/, 'NPE', 'NPE'],
  [/^owa5x$/, 'Owasys', 'Owasys'],
  [/^smarc-px30$/, 'I-Pi SMARC', 'ADLINK'],
  [/^ts\d/, 'Technologic Systems', 'Technologic Systems'],
  [/^via-/, 'VIA ARM', 'VIA Technologies'],
  [/^bluechiptechnology-/, 'Blue Chip Technology', 'Blue Chip Technology'],
  [/^parallella$/, 'Parallella', 'Adapteva'],
  [/^intel-edison$/, 'Intel', 'Intel'],
];

/**
 * Layout facts that hold for every machine of a board support layer, with their source. Only GPT
 * is recorded for Jetson (the boot partition's number varies: p6…p37) and balena-generic; Raspberry
 * Pi images are MBR with a FAT32 resin-boot p1. Anything else is left to the finder.
 */
const JETSON_GPT = {
  image: { partitionTable: 'gpt' },
  source: 'balena-os/balena-jetson(-orin) layers/meta-balena-jetson/conf/layer.conf (PARTITION_TABLE_TYPE=gpt)',
};
const LAYOUT_BY_FAMILY = {
  'NVIDIA Jetson': JETSON_GPT,
  'Generic ARM': {
    image: { partitionTable: 'gpt' },
    source: 'balena-os/balena-generic layers/meta-balena-generic/recipes-core/images/balena-image.inc',
  },
};
const RPI_LAYER = new Set(['Raspberry Pi', 'Revolution Pi', 'balena']);
const RPI_LAYOUT = {
  image: { partitionTable: 'mbr', bootPartition: { index: 1, logical: false, label: 'resin-boot', otherLabels: [], match: 'fat-label' }, bootFs: 'FAT32' },
  source: 'balena-os/balena-raspberrypi layers/meta-balena-raspberrypi/recipes-core/images/balena-image.inc (BALENA_BOOT_FAT32)',
};

const INSTALLER_NOTES = [
  { severity: 'danger', text: "This is an installer image: booting it ERASES the device's internal storage without asking." },
  {
    severity: 'info',
    text: "Settings go to the installer's flash-boot partition; on first boot the installer copies config.json (without the 'installer' object), system-connections/, dispatcher.d/, system-proxy/ and splash/ to the installed system. Other boot files such as config.txt or extra_uEnv.txt are not copied.",
  },
];

function mediaOf(contract, { installer }) {
  const boots = installer ? contract.altBoot ?? [] : [contract.defaultBoot, ...(contract.altBoot ?? [])];
  const media = [];
  if (boots.includes('sdcard')) media.push('sd-card');
  if (boots.includes('usb_mass_storage')) media.push('usb-stick');
  return media;
}

/** install and the reason, from the contract and its evidence. */
function installFor(contract) {
  const evidence = INSTALL_EVIDENCE[contract.slug];
  if (!evidence) throw new Error(`${contract.slug}: no install evidence; add it to INSTALL_EVIDENCE`);
  switch (evidence) {
    case 'bootDevice': {
      const media = mediaOf(contract, { installer: false });
      if (media.length === 0) throw new Error(`${contract.slug}: a card device that boots from neither SD nor USB`);
      return { install: { method: 'card', media }, why: 'the contract only tells the user to power the board with the written media' };
    }
    case 'bootExternal': {
      let media = mediaOf(contract, { installer: true });
      if (media.length === 0) media = ['sd-card', 'usb-stick'];
      return { install: { method: 'installer', media }, why: 'the contract boots the board from external media and waits for the internal install to finish' };
    }
    case 'jetsonFlash':
      if (contract.defaultBoot === 'sdcard') {
        return { install: { method: 'card', media: mediaOf(contract, { installer: false }) }, why: 'flashProtocol jetsonFlash, but the devkit boots from its SD card' };
      }
      return { install: { method: 'vendor-tool', tool: TOOLS.jetsonFlash }, why: 'flashProtocol jetsonFlash: the module boots from internal storage written by NVIDIA tools' };
    case 'RPIBOOT':
      return { install: { method: 'vendor-tool', tool: TOOLS.RPIBOOT }, why: 'flashProtocol RPIBOOT: the eMMC is exposed over USB by usbboot' };
    case 'usbMassStorage': {
      const tool = USB_MASS_STORAGE_TOOLS[contract.slug];
      if (!tool) throw new Error(`${contract.slug}: name its USB mass-storage tool`);
      return { install: { method: 'vendor-tool', tool }, why: "flashProtocol usbMassStorage: the vendor's procedure exposes the eMMC over USB" };
    }
    case 'edisonFlash':
      return { install: { method: 'vendor-tool', tool: TOOLS.edisonFlash }, why: 'flashProtocol edisonFlash' };
    case 'qemu':
      return { install: { method: 'virtual-machine', tool: TOOLS.qemu }, why: 'the contract runs the image in QEMU' };
    default:
      throw new Error(`${contract.slug}: unknown evidence ${evidence}`);
  }
}

function familyOf(slug) {
  const hit = FAMILIES.find(([pattern]) => pattern.test(slug));
  if (!hit) throw new Error(`${slug}: no family; add it to FAMILIES`);
  return { family: hit[1], manufacturer: hit[2] };
}

function contractSource(slug) {
  return `balena-io/contracts contracts/hw.device-type/${CONTRACT_FOLDER[slug] ?? slug}/contract.json (${CONTRACTS_COMMIT})`;
}

function cleanAliases(contract) {
  return [...new Set(contract.aliases.map((a) => a.toLowerCase()))].filter((a) => a !== contract.slug);
}

const KEY_ORDER = ['$schema', 'slug', 'name', 'aliases', 'arch', 'family', 'manufacturer', 'status', 'seed', 'replacedBy', 'install', 'image', 'capabilities', 'userNotes', 'download', 'contractFacts', 'notes', 'sources'];
function ordered(d) {
  const out = {};
  for (const k of KEY_ORDER) if (d[k] !== undefined) out[k] = d[k];
  for (const k of Object.keys(d)) if (!(k in out)) throw new Error(`${d.slug}: unexpected key ${k}`);
  return out;
}

function installNotes(install, contract) {
  const notes = [];
  if (install.method === 'installer') notes.push(...INSTALLER_NOTES);
  if (install.method === 'vendor-tool') {
    notes.push({ severity: 'info', text: `This image is written to the board's internal storage with ${install.tool}, not to an SD card.` });
  }
  if (contract && INSTALL_EVIDENCE[contract.slug] === 'jetsonFlash' && install.method === 'card') {
    notes.push({ severity: 'info', text: "If the board does not boot the card, its boot firmware (QSPI) may not match this balenaOS version: update it with NVIDIA's flashing tools first." });
  }
  if (contract && /^jetson-(orin|agx-orin)|seeed-j[34]0|forecr-dsb-ornx/.test(contract.slug) && install.method === 'installer') {
    notes.push({ severity: 'warning', text: 'balenaOS v6.1.16 and newer need UEFI firmware 36.3 on the device; update the firmware first.' });
  }
  if (contract?.slug === 'jetson-agx-thor-devkit') {
    notes.push({ severity: 'warning', text: "The device must run UEFI firmware 39.2.0; update it with NVIDIA's flashing tools first if needed." });
  }
  return notes;
}

/** A new device file from a contract. */
function fromContract(contract) {
  const { install, why } = installFor(contract);
  const { family, manufacturer } = familyOf(contract.slug);
  const layout = RPI_LAYER.has(family) ? RPI_LAYOUT : LAYOUT_BY_FAMILY[family];
  const boots = [contract.defaultBoot, ...(contract.altBoot ?? [])].join(', ');
  const notes =
    `Imported from balena-io/contracts (${CONTRACTS_COMMIT}): boots from ${boots}; internal storage ${contract.internalStorage ? 'yes' : 'no'}. ` +
    `Install method ${install.method}: ${why}. ` +
    (layout ? 'Image layout: only what the board support layer fixes is recorded; ' : 'Image layout not recorded: ') +
    'the finder decides from the image at run time.';
  return ordered({
    $schema: './schema.json',
    slug: contract.slug,
    name: contract.name,
    aliases: cleanAliases(contract),
    arch: contract.arch,
    family,
    manufacturer,
    status: 'current',
    seed: false,
    install,
    ...(layout ? { image: structuredClone(layout.image) } : {}),
    capabilities: { wifi: contract.wifi, bluetooth: contract.bluetooth, ethernet: null, cellular: null },
    userNotes: installNotes(install, contract),
    contractFacts: { commit: CONTRACTS_COMMIT, fields: ['name', 'aliases', 'arch', 'capabilities.wifi', 'capabilities.bluetooth', 'install'] },
    notes,
    sources: [contractSource(contract.slug), ...(layout ? [layout.source] : [])],
  });
}

/** An existing, hand-written file completed from its contract (or, without one, from itself). */
/** Family names of the hand-written files, aligned with the imported ones (one group per product line). */
const RENAMED_FAMILIES = {
  'Nvidia Jetson Orin (L4T 36)': ['NVIDIA Jetson', 'L4T 36 (balena-jetson-orin).'],
  'Nvidia Jetson (L4T 32)': ['NVIDIA Jetson', 'L4T 32 (balena-jetson).'],
  BeagleBone: ['BeagleBoard'],
  'Intel x86': ['Generic x86'],
  'SolidRun i.MX6': ['SolidRun'],
  'Boundary Devices i.MX6': ['Boundary Devices'],
};

function merged(file, contract, log) {
  const d = structuredClone(file);
  if (d.family === 'Generic') d.family = familyOf(d.slug).family;
  const renamed = RENAMED_FAMILIES[d.family];
  if (renamed) {
    d.family = renamed[0];
    if (renamed[1] && !d.notes.includes(renamed[1])) d.notes = `${d.notes} ${renamed[1]}`;
  }
  const fields = [];
  const { flasher, ...image } = d.image ?? {};
  if (d.image) d.image = image;
  if (contract) {
    const { install, why } = installFor(contract);
    if (d.install) {
      // hand-written: keep
    } else if (flasher === true && install.method !== 'installer') {
      log(`${d.slug}: the file says installer image, the contract says ${install.method} (${why}); kept the file's`);
      d.install = { method: 'installer', media: install.media ?? mediaOf(contract, { installer: true }) };
      if (d.install.media.length === 0) d.install.media = mediaOf(contract, { installer: false });
    } else if (flasher === false && install.method === 'installer') {
      log(`${d.slug}: the file says raw image, the contract says installer; kept the file's`);
      d.install = { method: 'card', media: mediaOf(contract, { installer: false }) };
    } else {
      d.install = install;
      fields.push('install');
    }
    for (const key of ['wifi', 'bluetooth']) {
      const have = d.capabilities[key];
      if (have === undefined || have === null) {
        d.capabilities[key] = contract[key];
        fields.push(`capabilities.${key}`);
      } else if (have !== contract[key]) {
        log(`${d.slug}: capabilities.${key} is ${have} in the file, ${contract[key]} in the contract; kept the file's`);
      }
    }
    if (d.arch !== contract.arch) log(`${d.slug}: arch ${d.arch} in the file, ${contract.arch} in the contract; kept the file's`);
    for (const alias of cleanAliases(contract)) {
      if (!d.aliases.includes(alias)) {
        d.aliases.push(alias);
        if (!fields.includes('aliases')) fields.push('aliases');
      }
    }
    if (!d.sources.some((s) => s.startsWith(`balena-io/contracts contracts/hw.device-type/${CONTRACT_FOLDER[d.slug] ?? d.slug}/`))) d.sources.push(contractSource(d.slug));
    const have = new Set(d.userNotes.map((n) => n.text));
    for (const note of installNotes(d.install, contract)) if (!have.has(note.text) && note.severity !== 'danger' && !(d.install.method === 'installer' && note.severity === 'info' && note.text.startsWith('Settings go'))) {
      if (d.install.method === 'vendor-tool' && d.userNotes.some((n) => /written (to the device )?with|written over USB/.test(n.text))) continue;
      if (note.severity === 'warning' && d.userNotes.some((n) => /UEFI firmware/.test(n.text))) continue;
      d.userNotes.push(note);
    }
  } else {
    d.install ??= flasher ? { method: 'installer', media: ['sd-card'] } : { method: 'card', media: ['sd-card'] };
    d.capabilities.bluetooth ??= null;
  }
  d.capabilities = { wifi: d.capabilities.wifi, bluetooth: d.capabilities.bluetooth ?? null, ethernet: d.capabilities.ethernet, cellular: d.capabilities.cellular };
  if (fields.length > 0) d.contractFacts = { commit: CONTRACTS_COMMIT, fields: [...new Set([...(d.contractFacts?.fields ?? []), ...fields])] };
  if (d.image && Object.keys(d.image).length === 0) delete d.image;
  return ordered(d);
}

function main() {
  const input = process.argv[2] ?? defaultInput;
  if (!input) throw new Error('give the path of device-types-contracts.json');
  const contracts = JSON.parse(readFileSync(input, 'utf8'));
  const bySlug = new Map(contracts.map((c) => [c.slug, c]));
  const problems = [];
  const log = (line) => problems.push(line);
  let created = 0;
  let updated = 0;
  const seen = new Set();
  for (const contract of contracts) {
    if (contract.private) continue;
    const path = join(deviceDir, `${contract.slug}.json`);
    seen.add(contract.slug);
    const data = existsSync(path) ? merged(JSON.parse(readFileSync(path, 'utf8')), contract, log) : fromContract(contract);
    existsSync(path) ? updated++ : created++;
    writeFileSync(path, JSON.stringify(data, null, 2) + '\n');
  }
  // Files the contracts do not know (ts7700): complete them from their own facts.
  for (const name of ['ts7700']) {
    if (bySlug.has(name)) continue;
    const path = join(deviceDir, `${name}.json`);
    if (!existsSync(path)) continue;
    writeFileSync(path, JSON.stringify(merged(JSON.parse(readFileSync(path, 'utf8')), undefined, log), null, 2) + '\n');
    updated++;
  }
  console.log(`device-types/: ${created} created, ${updated} completed from ${input}`);
  for (const p of problems) console.log(`  kept hand-written: ${p}`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    main();
  } catch (e) {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  }
}
