namespace Switchyard.Core.Events;

/// <summary>One item of a subscription: an event, or a notice about the stream itself.</summary>
public readonly record struct EventDelivery(TaskEvent? Event, EventNotice? Notice)
{
    public static EventDelivery Of(TaskEvent taskEvent) => new(taskEvent, null);

    public static EventDelivery Of(EventNotice notice) => new(null, notice);

    /// <summary>The stream position this item stands at: the event's seq, or the notice's.</summary>
    public long Seq => Event?.Seq ?? Notice!.Seq;
}
