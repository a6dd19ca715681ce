import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { CACHE_DIR, REPO_ROOT } from '../../../scripts/repo-paths';

/**
 * Fake-camera clips for Chromium (`--use-file-for-fake-video-capture`), made with ffmpeg from the
 * photographs in ../shared/fixtures/faces. Chromium loops a clip forever, so each one is either a
 * still (a couple of seconds is enough) or exactly one period of its motion.
 *
 * Every clip is 640x480, 15 fps, yuv420p Y4M (raw: 460,800 bytes a frame, about 6.9 MB a second),
 * on a mid-grey (0x808080) background. They are cached in `.cache/clips/` under a name that
 * includes a hash of the recipe, so changing a recipe regenerates the clip.
 */
export const CLIP_WIDTH_PX = 640;
export const CLIP_HEIGHT_PX = 480;
export const CLIP_FPS = 15;

export const FACES_DIR = path.resolve(REPO_ROOT, '..', 'shared', 'fixtures', 'faces');
export const CLIPS_DIR = path.join(CACHE_DIR, 'clips');

/**
 * Ground truth of `astronaut-moving`: both motions follow sin(2πt / periodS), in phase, t = 0 at
 * the clip's first frame. Measured with MediaPipe Face Landmarker (CPU) in headless Chromium, the
 * eye-line roll (atan2 of the outer eye corners in image coordinates, y down, so clockwise is
 * positive) swung between about -12° and +16°: the photo's own +2° plus or minus about 14°.
 */
export const ASTRONAUT_MOVING = {
  periodS: 4,
  /** In-plane rotation (roll), clockwise as seen in the image, at the sinusoid's peak. */
  rollAmplitudeDeg: 15,
  /** Horizontal shift of the face centre from the frame centre (x = 320 px), rightwards positive. */
  shiftAmplitudePx: 80,
} as const;

/**
 * Ground truth of `identity-swap`: the woman on the right of three-people.jpg for candidateS
 * seconds, then, in one cut, the astronaut (another person in the chair) for impostorS seconds.
 */
export const IDENTITY_SWAP = { candidateS: 12, impostorS: 10 } as const;

/** Ground truth of `astronaut-then-empty`: a face for faceS seconds, then an empty frame, looping. */
export const ASTRONAUT_THEN_EMPTY = { faceS: 4, emptyS: 6 } as const;

/**
 * Ground truth of `dark`: the astronaut clip with luma squeezed to 15% of its range above video
 * black (Y' = 16 + (Y' - 16) * 0.15), mean luma 31 of 255. Face Landmarker still reports one face
 * in every frame, but its landmarks are off (eye-line roll 28° where the bright clip gives 2°):
 * the measurement must be judged poor from the light, not from the face count.
 */
export const DARK_LUMA_SCALE = 0.15;

interface ClipRecipe {
  /**
   * Faces in every frame (for `astronaut-then-empty`: in its first segment). Checked with Face
   * Landmarker (numFaces 4, CPU) in headless Chromium: astronaut 1, empty 0, two-people 2,
   * astronaut-moving 1, dark 1, in every analysed frame.
   */
  faces: number;
  durationS: number;
  /** Output frame rate when it is not CLIP_FPS. */
  fps?: number;
  /** ffmpeg arguments before the output options. */
  args: string[];
}

const GREY = '0x808080';
/** The astronaut photo (512x512) as a 480x480 face in the middle of the frame. */
const ASTRONAUT_FRAMED = `scale=480:480,pad=${CLIP_WIDTH_PX}:${CLIP_HEIGHT_PX}:80:0:color=${GREY},setsar=1`;

function stillInput(file: string, durationS?: number): string[] {
  const duration = durationS === undefined ? [] : ['-t', String(durationS)];
  return [
    '-loop',
    '1',
    '-framerate',
    String(CLIP_FPS),
    ...duration,
    '-i',
    path.join(FACES_DIR, file),
  ];
}

function greyInput(durationS: number): string[] {
  return [
    '-f',
    'lavfi',
    '-t',
    String(durationS),
    '-i',
    `color=c=${GREY}:s=${CLIP_WIDTH_PX}x${CLIP_HEIGHT_PX}:r=${CLIP_FPS}`,
  ];
}

/**
 * An empty scene with texture, like a wall or a room: coarse blocks whose edges survive the
 * analysis' 160-pixel copy, so it is about as sharp as the picture with the face (a room keeps
 * its edges when the person leaves). A uniform or finely blurred frame reads as a covered or
 * blurred camera, not as a candidate who left.
 */
const EMPTY_SCENE = `scale=${CLIP_WIDTH_PX / 8}:${CLIP_HEIGHT_PX / 8},noise=alls=60:allf=u,scale=${CLIP_WIDTH_PX}:${CLIP_HEIGHT_PX}:flags=neighbor,setsar=1`;

const { periodS, rollAmplitudeDeg, shiftAmplitudePx } = ASTRONAUT_MOVING;
const phase = `sin(2*PI*t/${periodS})`;

const RECIPES = {
  astronaut: {
    faces: 1,
    durationS: 2,
    args: [...stillInput('astronaut.png'), '-vf', ASTRONAUT_FRAMED],
  },
  /** The benchmark's camera: 30 fps, so an unthrottled run is limited by analysis, not the camera. */
  'astronaut-30fps': {
    faces: 1,
    durationS: 2,
    fps: 30,
    args: [...stillInput('astronaut.png'), '-vf', ASTRONAUT_FRAMED],
  },
  empty: { faces: 0, durationS: 2, args: [...greyInput(2), '-vf', EMPTY_SCENE] },
  'two-people': {
    faces: 2,
    durationS: 2,
    // Two of the three 640x720 thirds of three-people.jpg (one face each), side by side, 640x360 in the frame.
    args: [
      ...stillInput('three-people.jpg'),
      '-filter_complex',
      '[0]split[l][r];[l]crop=640:720:0:0[a];[r]crop=640:720:640:0[b];[a][b]hstack,' +
        `scale=${CLIP_WIDTH_PX}:360,pad=${CLIP_WIDTH_PX}:${CLIP_HEIGHT_PX}:0:60:color=${GREY},setsar=1`,
    ],
  },
  'astronaut-moving': {
    faces: 1,
    durationS: periodS,
    args: [
      ...stillInput('astronaut.png'),
      ...greyInput(periodS),
      '-filter_complex',
      // rotate's angle is clockwise in radians; t is the frame time in seconds from the input's -framerate.
      `[0]scale=480:480,rotate=a='${rollAmplitudeDeg}*PI/180*${phase}':c=${GREY}[face];` +
        `[1][face]overlay=x='80+${shiftAmplitudePx}*${phase}':y=0,setsar=1`,
    ],
  },
  'astronaut-then-empty': {
    faces: 1,
    durationS: ASTRONAUT_THEN_EMPTY.faceS + ASTRONAUT_THEN_EMPTY.emptyS,
    args: [
      ...stillInput('astronaut.png', ASTRONAUT_THEN_EMPTY.faceS),
      ...greyInput(ASTRONAUT_THEN_EMPTY.emptyS),
      '-filter_complex',
      `[0]${ASTRONAUT_FRAMED}[face];[1]${EMPTY_SCENE}[empty];[face][empty]concat=n=2:v=1:a=0`,
    ],
  },
  'identity-swap': {
    faces: 1,
    durationS: IDENTITY_SWAP.candidateS + IDENTITY_SWAP.impostorS,
    args: [
      ...stillInput('three-people.jpg', IDENTITY_SWAP.candidateS),
      ...stillInput('astronaut.png', IDENTITY_SWAP.impostorS),
      '-filter_complex',
      // The right third (one face), 427x480 in the middle of the frame, then the astronaut.
      `[0]crop=640:720:1280:0,scale=-2:${CLIP_HEIGHT_PX},pad=${CLIP_WIDTH_PX}:${CLIP_HEIGHT_PX}:(ow-iw)/2:0:color=${GREY},setsar=1[a];` +
        `[1]${ASTRONAUT_FRAMED}[b];[a][b]concat=n=2:v=1:a=0`,
    ],
  },
  dark: {
    faces: 1,
    durationS: 2,
    args: [
      ...stillInput('astronaut.png'),
      '-vf',
      `${ASTRONAUT_FRAMED},format=yuv420p,lutyuv=y='16+(val-16)*${DARK_LUMA_SCALE}'`,
    ],
  },
} satisfies Record<string, ClipRecipe>;

export type ClipName = keyof typeof RECIPES;
export const CLIP_NAMES = Object.keys(RECIPES) as ClipName[];

/** Faces per frame and length of each clip, for tests that assert what the tracker should see. */
export function clipInfo(name: ClipName): { faces: number; durationS: number } {
  const { faces, durationS } = RECIPES[name];
  return { faces, durationS };
}

const execFileAsync = promisify(execFile);
const pending = new Map<ClipName, Promise<string>>();

/** Path of the named clip, generating it with ffmpeg first if it is not cached yet. */
export function ensureClip(name: ClipName): Promise<string> {
  let clip = pending.get(name);
  if (clip === undefined) {
    clip = generateClip(name);
    pending.set(name, clip);
    // A failure should not stick: a later call retries.
    clip.catch(() => pending.delete(name));
  }
  return clip;
}

export async function ensureAllClips(): Promise<Record<ClipName, string>> {
  const paths = await Promise.all(
    CLIP_NAMES.map(async (name) => [name, await ensureClip(name)] as const),
  );
  return Object.fromEntries(paths) as Record<ClipName, string>;
}

async function generateClip(name: ClipName): Promise<string> {
  const recipe: ClipRecipe = RECIPES[name];
  const fps = recipe.fps ?? CLIP_FPS;
  const frames = recipe.durationS * fps;
  const args = [
    '-hide_banner',
    '-loglevel',
    'error',
    '-nostdin',
    '-y',
    ...recipe.args,
    '-frames:v',
    String(frames),
    '-r',
    String(fps),
    '-pix_fmt',
    'yuv420p',
    '-f',
    'yuv4mpegpipe',
  ];
  const key = createHash('sha256').update(JSON.stringify(args)).digest('hex').slice(0, 10);
  const file = path.join(CLIPS_DIR, `${name}-${key}.y4m`);
  if (existsSync(file)) return file;

  await mkdir(CLIPS_DIR, { recursive: true });
  const temp = `${file}.partial-${process.pid}`;
  try {
    await execFileAsync('ffmpeg', [...args, temp], { maxBuffer: 10 * 1024 * 1024 });
  } catch (error) {
    await rm(temp, { force: true });
    const hint =
      (error as NodeJS.ErrnoException).code === 'ENOENT'
        ? ' (ffmpeg is not installed: apt-get install ffmpeg)'
        : '';
    throw new Error(`could not make clip ${name}${hint}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await rename(temp, file);
  // Drop clips of this name made by older recipes; they are tens of megabytes each.
  for (const entry of await readdir(CLIPS_DIR)) {
    if (
      entry.startsWith(`${name}-`) &&
      entry.endsWith('.y4m') &&
      path.join(CLIPS_DIR, entry) !== file
    ) {
      const stale = entry.slice(name.length + 1, -'.y4m'.length);
      if (/^[0-9a-f]{10}$/.test(stale)) await rm(path.join(CLIPS_DIR, entry), { force: true });
    }
  }
  return file;
}
