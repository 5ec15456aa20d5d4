/**
 * Which /bin/sh a container's image has, and how we know: the image table for a known image,
 * else the Dockerfile of the run that builds the image (its base image, or the package manager
 * its RUN lines use), else unknown, said as such (docs/reference/signals.md#shell-form-and-exec-form).
 */
import { isUnresolvedImage, parseImageRef } from '../../../k8s/imageRef.js';
import { imageShell } from '../../../k8s/images.js';
import type { Pid1Verdict } from '../../../k8s/pid1.js';
import { shellLabel, whyShellStays, type ImageShell } from '../../../k8s/shells.js';
import { dockerfileShell } from '../../dockerfileCommand.js';
import type { ContainerView } from '../../types.js';

export function containerShell(c: ContainerView): { shell: ImageShell | undefined; evidence: string } {
  const image = typeof c.container.image === 'string' ? c.container.image : undefined;
  if (image && !isUnresolvedImage(image)) {
    const shell = imageShell(parseImageRef(image));
    if (shell) return { shell, evidence: `image ${image}` };
  }
  for (const d of c.dockerfiles) {
    const found = dockerfileShell(d);
    if (found.shell) return { shell: found.shell, evidence: `${d.file}, which builds the image: ${found.evidence}` };
  }
  return { shell: undefined, evidence: `zerodrop does not know the /bin/sh of image ${image ?? '(none)'}` };
}

/**
 * Why a shell that stays PID 1 does, for messages: which shell `sh` is and where that is known
 * from, then that shell's rule for the last command of a `-c` script.
 */
export function shellStaysBecause(at: Extract<Pid1Verdict, { verdict: 'shell-stays' }>['at'], evidence: string): string {
  const why = whyShellStays(at.resolved, at.shape);
  return at.shell === 'sh' && at.resolved !== undefined
    ? `/bin/sh is ${shellLabel(at.resolved, 'sh').replace(/^sh \((.*)\)$/, '$1')} (${evidence}): ${why}`
    : why;
}
