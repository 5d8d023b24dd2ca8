using Switchyard.Core.Model;

namespace Switchyard.Core.Tests;

public sealed class TaskStatesTests
{
    [Fact]
    public void Names_RoundTrip_EveryState()
    {
        foreach (var state in TaskStates.All)
        {
            Assert.Equal(state, TaskStates.Parse(state.ToName()));
        }
    }
}
