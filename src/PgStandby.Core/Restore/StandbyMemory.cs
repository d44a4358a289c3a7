using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Diagnostics;
using PgStandby.Core.Processes;

namespace PgStandby.Core.Restore;

/// <summary>What the worker remembers in PGSTANDBY_STATE_DIR across restarts: PGDATA's verified identity, the last re-sync.</summary>
public sealed class StandbyMemory(
    FolderPreparer folders,
    IOptions<RepositoryOptions> repository,
    IOptions<StandbyOptions> standby,
    ILogger<StandbyMemory> logger)
{
    private const UnixFileMode FolderMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    public StandbyIdentity? Identity => StandbyIdentity.Load(standby.Value.StateDirectory);

    public ResyncAttempt? LastResync => ResyncAttempt.Load(standby.Value.StateDirectory);

    public void Remember(ulong systemId, string version)
    {
        var identity = new StandbyIdentity(repository.Value.Stanza, systemId, version);
        Write(StandbyIdentity.FileName, identity.ToJson());
        Log.IdentityRemembered(logger, identity.Stanza, systemId);
    }

    public void Remember(ResyncAttempt attempt) => Write(ResyncAttempt.FileName, attempt.ToJson());

    /// <summary>The operator asks for the newest backup whatever an earlier re-sync tried, onto whatever PGDATA held.</summary>
    public void ForgetIdentityAndResyncs()
    {
        foreach (var forgotten in new[] { StandbyIdentity.FileName, ResyncAttempt.FileName })
        {
            var path = Path.Combine(standby.Value.StateDirectory, forgotten);
            if (File.Exists(path))
            {
                File.Delete(path);
            }
        }
    }

    private void Write(string fileName, string json)
    {
        var stateDirectory = standby.Value.StateDirectory;
        folders.EnsureFolder(stateDirectory, FolderMode);
        folders.WriteOwnedFile(Path.Combine(stateDirectory, fileName), json, FileMode);
    }
}
