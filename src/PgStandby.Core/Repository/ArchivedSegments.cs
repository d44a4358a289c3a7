using Microsoft.Extensions.Options;
using PgStandby.Core.Configuration;
using PgStandby.Core.Processes;
using PgStandby.Core.Rendering;
using PgStandby.Core.Postgres;

namespace PgStandby.Core.Repository;

/// <summary>Asks the repository whether it holds a WAL segment, with <c>pgbackrest archive-get</c> as restore_command runs it.</summary>
public sealed class ArchivedSegments(ICommandRunner runner, IOptions<RepositoryOptions> repository, IOptions<StandbyOptions> standby)
{
    /// <summary>
    /// True when the archive holds the segment, false when pgBackRest says it does not (exit 1), null when it could not
    /// be asked. restore_command's own options: the primary's forced command refuses others (--no-archive-async).
    /// </summary>
    public async Task<bool?> ContainsAsync(WalSegment segment, CancellationToken cancellationToken)
    {
        var destination = Path.Combine(standby.Value.PgBackRestSpoolPath, "check-" + segment.Name);
        try
        {
            var arguments = PostgresSettingsRenderer.ArchiveGetArguments(repository.Value, standby.Value);
            var result = await runner.RunAsync(new CommandSpec("pgbackrest", [.. arguments, segment.Name, destination]), cancellationToken).ConfigureAwait(false);
            return result.ExitCode switch
            {
                0 => true,
                1 => false,
                _ => null,
            };
        }
        finally
        {
            if (Path.Exists(destination))
            {
                File.Delete(destination); // a link planted there is removed itself, never its target
            }
        }
    }
}
