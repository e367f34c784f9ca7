import type { ReactElement } from 'react';
import type { ProjectSummary } from '../../contract/ipc';
import { Icon } from '../components/icons';
import { MiddleText } from '../components/MiddleText';
import { useNow } from '../components/StatusBar';
import { Badge, EmptyState, Skeleton } from '../components/ui';
import { ErrorPanel } from '../components/ErrorPanel';
import { relativeTime } from '../lib/format';
import { shortcut } from '../lib/keys';
import type { StatusLook } from '../lib/status';
import { useApp } from '../state/app-store';
import { useProjects } from '../state/projects-store';
import { ProjectScreen } from './ProjectScreen';

export function ProjectsScreen(): ReactElement {
  const dir = useApp((s) => s.projectDir);
  return dir ? <ProjectScreen key={dir} dir={dir} /> : <ProjectsHome />;
}

const STATE_LOOKS: Record<ProjectSummary['state'], StatusLook | null> = {
  ok: null,
  'no-manifest': { label: 'No latchkey.yml', tone: 'muted', icon: 'plus', explain: '' },
  invalid: { label: 'Manifest has problems', tone: 'bad', icon: 'error', explain: '' },
  missing: { label: 'Folder not found', tone: 'warn', icon: 'warning', explain: '' },
};

function OpenFolderButton({ large = false }: { large?: boolean }): ReactElement {
  const opening = useProjects((s) => s.opening);
  const pickAndOpen = useProjects((s) => s.pickAndOpen);
  return (
    <button
      type="button"
      className={`btn btn-primary ${large ? 'btn-lg' : ''}`}
      onClick={() => void pickAndOpen()}
      disabled={opening}
      data-testid="open-folder"
    >
      {opening ? <span className="spinner" /> : <Icon name="folder-plus" size={15} />}
      Open folder…
      <span className="kbd-hint">{shortcut('O')}</span>
    </button>
  );
}

function ProjectsHome(): ReactElement {
  const projects = useProjects((s) => s.projects);
  const listError = useProjects((s) => s.listError);
  const open = useProjects((s) => s.open);
  const forget = useProjects((s) => s.forget);
  const now = useNow(30_000);

  return (
    <div className="page">
      <header className="page-header">
        <div className="grow">
          <h1>Projects</h1>
          <p className="muted">
            Open a repository’s folder. Latchkey finds its <code>latchkey.yml</code> and shows the profiles it defines.
          </p>
        </div>
        {projects && projects.length > 0 ? <OpenFolderButton /> : null}
      </header>

      <div className="page-body">
        {listError ? (
          <ErrorPanel headingLevel={2} error={listError} onRetry={() => void useProjects.getState().load()} />
        ) : null}
        {projects === null ? (
          <ul className="project-list card" role="list" aria-busy="true" aria-label="Recent projects">
            {[0, 1, 2].map((i) => (
              <li key={i} className="project-row">
                <Skeleton width={32} height={32} />
                <div className="grow stack-tight">
                  <Skeleton width="30%" />
                  <Skeleton width="55%" height={10} />
                </div>
              </li>
            ))}
          </ul>
        ) : projects.length === 0 ? (
          <div className="card">
            <EmptyState
              icon="folder"
              title="Open your first project"
              testId="projects-empty"
              actions={<OpenFolderButton large />}
            >
              <p>
                Pick the folder of a repository. If it has a <code>latchkey.yml</code>, you will see its profiles and
                what each one needs; if not, a short form writes one for you.
              </p>
            </EmptyState>
          </div>
        ) : (
          <>
            <h2 className="section-title">Recent</h2>
            <ul className="project-list card" role="list" aria-label="Recent projects">
              {projects.map((p) => {
                const look = STATE_LOOKS[p.state];
                return (
                  <li key={p.dir} className="project-row" data-testid={`project-row-${p.name}`}>
                    <button type="button" className="project-open" onClick={() => void open(p.dir)}>
                      {/* "Open <name>" by its text, so the name a screen reader speaks contains what is shown. */}
                      <span className="sr-only">Open </span>
                      <span className="project-icon" aria-hidden="true">
                        <Icon name="folder" size={17} />
                      </span>
                      <span className="grow project-text">
                        <span className="project-name">{p.name}</span>
                        <MiddleText text={p.dir} identifier="project-path" className="project-path mono" />
                      </span>
                      {look ? <Badge look={look} /> : null}
                      <span className="subtle small nowrap">{relativeTime(p.lastOpened, now)}</span>
                      <Icon name="chevron-right" size={15} className="icon project-chevron" />
                    </button>
                    <button
                      type="button"
                      className="btn btn-ghost btn-icon btn-sm project-forget"
                      aria-label={`Forget ${p.name}`}
                      onClick={() => void forget(p.dir)}
                      data-testid={`project-forget-${p.name}`}
                    >
                      <Icon name="x" size={14} />
                    </button>
                  </li>
                );
              })}
            </ul>
            <p className="subtle small">
              Forgetting a project only removes it from this list; its files stay as they are.
            </p>
          </>
        )}
      </div>
    </div>
  );
}
