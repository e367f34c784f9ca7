/**
 * The id main issued for each folder the window shows (a project summary, projects.pick, File ▸ Open Recent). The
 * window keeps its own state by folder, which it shows; it names a folder to main only by this id, because main
 * takes no path from the renderer (issue 10, finding 11).
 */
const idsByDir = new Map<string, string>();

export function rememberProjectId(dir: string, projectId: string): void {
  idsByDir.set(dir, projectId);
}

/** The folder's id; '' for a folder main never gave this window, which main's contract refuses as it should. */
export function projectIdOf(dir: string): string {
  return idsByDir.get(dir) ?? '';
}

/** A profile as the window keeps it (folder + name), as main takes it (id + name). */
export function profileRefForMain(ref: { dir: string; profile: string }): { projectId: string; profile: string } {
  return { projectId: projectIdOf(ref.dir), profile: ref.profile };
}
