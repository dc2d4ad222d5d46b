#Requires -Version 5.1
<#
    SlaWatch root module.

    Layout (ImportExcel / Sampler style): one function per file, Public/ functions are exported (the list in
    SlaWatch.psd1 is the contract), Private/ functions are module-internal helpers. Module-wide state lives in
    $script: variables initialised here and nowhere else.
#>

# Module-wide state -----------------------------------------------------------------------------------------------
# Windows PowerShell 5.1 has no $IsWindows; it only runs on Windows.
$script:IsWindowsPlatform = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows
# Windows PowerShell 5.1 (.NET Framework) needs the \\?\ prefix for paths over 260 characters; .NET (PowerShell 7) does not.
$script:NeedsLongPathPrefix = $script:IsWindowsPlatform -and ($PSVersionTable.PSEdition -ne 'Core')
# Access/refresh tokens of the current process (see Get-SlaWatchAccessToken); never logged.
$script:SlaWatchTokenCache = $null
# Log target for the current run (see Initialize-SlaWatchLog); $null means "streams only".
$script:SlaWatchLog = $null
# The one date format of the report contract, always applied to UTC values.
$script:DateFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'"
$script:Invariant = [System.Globalization.CultureInfo]::InvariantCulture
$script:Utf8NoBom = New-Object -TypeName System.Text.UTF8Encoding -ArgumentList $false

# Off Windows, "creation" is what the Python scanner reads: the birth time from statx(2) where the file system keeps
# one, else the inode change time (st_ctime), while .NET's CreationTime there falls back to the last write (old
# for a copy that kept its times). statx is bound below without compiling anything ($script:Statx, $null where the
# C library lacks it); st_ctime and the file type come from the stat result .NET caches in each FileSystemInfo,
# through these private fields (see Get-SlaWatchUnixStat). $null on Windows, or if a .NET version renames them.
$script:UnixStatFields = $null
$script:Statx = $null
$script:UnixEpochTicks = (New-Object -TypeName datetime -ArgumentList 1970, 1, 1, 0, 0, 0, ([System.DateTimeKind]::Utc)).Ticks
if (-not $script:IsWindowsPlatform) {
    try {
        $private = [System.Reflection.BindingFlags]'NonPublic, Public, Instance'
        $status = [System.IO.FileSystemInfo].GetField('_fileStatus', $private)
        $cache = $status.FieldType.GetField('_fileCache', $private)
        $fields = @{
            Status  = $status
            Cache   = $cache
            Mode    = $cache.FieldType.GetField('Mode', $private)
            Seconds = $cache.FieldType.GetField('CTime', $private)
            Nanos   = $cache.FieldType.GetField('CTimeNsec', $private)
        }
        if (@($fields.Values | Where-Object -FilterScript { $null -eq $_ }).Count -eq 0) { $script:UnixStatFields = $fields }
        $assembly = [System.Reflection.Emit.AssemblyBuilder]::DefineDynamicAssembly((New-Object -TypeName System.Reflection.AssemblyName -ArgumentList 'SlaWatchNative'), 'Run')
        $libc = $assembly.DefineDynamicModule('SlaWatchNative').DefineType('SlaWatchNative.Libc', 'Public, Class')
        # int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *buffer)
        $null = $libc.DefinePInvokeMethod('statx', 'libc.so.6', 'Public, Static, PinvokeImpl', 'Standard', [int],
            [Type[]]@([int], [byte[]], [int], [uint32], [byte[]]), 'Winapi', 'Ansi')
        $statx = $libc.CreateType()
        $probe = New-Object -TypeName byte[] -ArgumentList 256
        $null = $statx::statx(-100, $script:Utf8NoBom.GetBytes("/`0"), 0x100, 0x800, $probe)  # throws when libc has no statx
        $script:Statx = $statx
    }
    catch {
        Write-Verbose -Message "SlaWatch: statx is not available ($($_.Exception.Message)); creation is the inode change time"
    }
}

# Windows PowerShell 5.1 may default to TLS 1.0/1.1, which AWS endpoints refuse.
if ($PSVersionTable.PSEdition -ne 'Core') {
    [System.Net.ServicePointManager]::SecurityProtocol = [System.Net.ServicePointManager]::SecurityProtocol -bor
        [System.Net.SecurityProtocolType]::Tls12
}

# Load functions ---------------------------------------------------------------------------------------------------
$private = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Private') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)
$public = @(Get-ChildItem -Path (Join-Path -Path $PSScriptRoot -ChildPath 'Public') -Filter '*.ps1' -File -ErrorAction SilentlyContinue)

foreach ($file in @($private + $public)) {
    try {
        . $file.FullName
    }
    catch {
        throw "SlaWatch: failed to load $($file.FullName): $($_.Exception.Message)"
    }
}

Export-ModuleMember -Function @($public | ForEach-Object -Process { $_.BaseName })
