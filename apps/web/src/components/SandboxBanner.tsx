import { useInfo } from '../api/queries.ts';

export function SandboxBanner() {
  const info = useInfo();
  if (!info.data) return null;
  return (
    <>
      {info.data.sandbox ? (
        <div className="banner banner-sandbox" role="note">
          Sandbox: Aviary is running against the local stand-in cluster. Nothing here touches a real cluster.
        </div>
      ) : null}
      {info.data.prometheus ? null : (
        <div className="banner banner-warning" role="note">
          No Prometheus is configured (AVIARY_PROMETHEUS_URL): gates stay inconclusive and charts stay empty.
        </div>
      )}
    </>
  );
}
