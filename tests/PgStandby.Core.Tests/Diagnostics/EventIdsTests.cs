using System.Reflection;
using PgStandby.Core.Diagnostics;

namespace PgStandby.Core.Tests.Diagnostics;

public sealed class EventIdsTests
{
    [Fact]
    public void EventIds_EveryConstant_IsUniqueAndInTheCapabilityRanges()
    {
        // Act
        var ids = typeof(EventIds).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (Name: f.Name, Id: (int)f.GetRawConstantValue()!))
            .ToList();

        // Assert
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Select(i => i.Id).Distinct().Count());
        Assert.All(ids, i => Assert.InRange(i.Id, 1000, 1899));
    }
}
