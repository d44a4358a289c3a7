using System.Globalization;
using Moq;
using PgStandby.Core.Processes;
using PgStandby.Core.Timelines;

namespace PgStandby.Core.Tests.Timelines;

/// <summary>pgbackrest archive-get of a .history file, as the archive would answer it: the file at the destination.</summary>
internal static class ArchivedHistory
{
    public static void Setup(Mock<ICommandRunner> commands, IEnumerable<TimelineSwitch> history) =>
        commands.Setup(c => c.RunAsync(
                It.Is<CommandSpec>(spec => spec.FileName == "pgbackrest" && spec.Arguments.Count > 1 && spec.Arguments[spec.Arguments.Count - 2].EndsWith(".history", StringComparison.Ordinal)),
                It.IsAny<CancellationToken>()))
            .Callback<CommandSpec, CancellationToken>((spec, _) =>
            {
                Directory.CreateDirectory(Path.GetDirectoryName(spec.Arguments[^1])!);
                File.WriteAllText(
                    spec.Arguments[^1],
                    string.Concat(history.Select(s => string.Create(CultureInfo.InvariantCulture, $"{s.Parent}\t{Lsn.Format(s.SwitchPoint)}\tno recovery target specified\n"))));
            })
            .ReturnsAsync(new CommandResult(0, string.Empty, string.Empty));
}
