using Switchyard.Bench;

var suite = Array.IndexOf(args, "--suite") is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : "foundation";
return suite switch
{
    "foundation" => await FoundationBench.RunAsync(args),
    "push" => await PushSuite.RunAsync(args),
    "events" => await EventsSuite.RunAsync(args),
    _ => Usage(),
};

static int Usage()
{
    Console.Error.WriteLine("usage: Switchyard.Bench [--suite foundation|push|events] [--durability fsync|process] [--rounds N] [--no-idle]");
    return 2;
}
