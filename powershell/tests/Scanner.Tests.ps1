<#
    The directory walk beyond the shared vectors: access-denied subfolders and folders, reparse points, long paths,
    the \\?\ prefix of Windows PowerShell 5.1, and the time budget.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
    $IsWindowsHost = ($PSVersionTable.PSEdition -ne 'Core') -or [bool]$IsWindows
    $AsOf = New-Object -TypeName datetime -ArgumentList 2026, 11, 28, 12, 0, 0, ([System.DateTimeKind]::Utc)

    function Invoke-FolderScan {
        [CmdletBinding()]
        param([string]$Path, [switch]$Recurse, [double]$TimeBudgetSeconds = 120, [string]$AgeBasis = 'lastWrite', [datetime]$AsOfUtc = $AsOf)
        $folder = @{
            Index = 0; Path = $Path; FullPath = $Path; SlaMinutes = 20; Recurse = [bool]$Recurse; Include = [string[]]@('*'); Exclude = [string[]]@()
            IncludeHidden = $false; AgeBasis = $AgeBasis; MaxFiles = 100000; TimeBudgetSeconds = $TimeBudgetSeconds
        }
        InModuleScope -ModuleName SlaWatch -Parameters @{ Folder = $folder; AsOfUtc = $AsOfUtc } -ScriptBlock {
            param($Folder, $AsOfUtc)
            Get-SlaWatchFolderResult -Folder $Folder -AsOfUtc $AsOfUtc
        }
    }

    function Deny-TestAccess {
        # Makes a folder unreadable for the current user; returns $false when that is not possible (e.g. running as root).
        param([string]$Path)
        if ($IsWindowsHost) {
            $null = & icacls.exe $Path /deny ('{0}:(OI)(CI)(RX)' -f [Environment]::UserName) 2>&1
        }
        else {
            $null = & chmod 000 $Path 2>&1
        }
        try {
            $null = [System.IO.Directory]::GetFileSystemEntries($Path)
            Grant-TestAccess -Path $Path
            return $false
        }
        catch {
            return $true
        }
    }

    function Grant-TestAccess {
        param([string]$Path)
        if ($IsWindowsHost) { $null = & icacls.exe $Path /remove:d ([Environment]::UserName) 2>&1 }
        else { $null = & chmod 755 $Path 2>&1 }
    }
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Directory walk' {
    It 'logs and skips an unreadable subfolder and scans the rest of the tree' {
        $root = New-TestRoot -Prefix 'denied'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'watched/top.txt') -AsOf $AsOf
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'watched/locked/inner.txt') -AsOf $AsOf
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'watched/open/deep.txt') -AsOf $AsOf
        $locked = Join-Path -Path $root -ChildPath 'watched/locked'
        if (-not (Deny-TestAccess -Path $locked)) {
            Set-ItResult -Skipped -Because 'this account can read any folder (administrator override or root)'
            return
        }
        try {
            $result = Invoke-FolderScan -Path (Join-Path -Path $root -ChildPath 'watched') -Recurse -WarningAction SilentlyContinue
        }
        finally {
            Grant-TestAccess -Path $locked
        }
        $result.Entry.status | Should -Be 'ok'
        $result.SkippedDirectories | Should -Be 1
        $result.Entry.fileCount | Should -Be 2
        (@($result.Entry.files | ForEach-Object -Process { ([string]$_.filename).Replace('\', '/') }) -join ',') | Should -Be 'open/deep.txt,top.txt'
    }

    It 'reports an unreadable folder as unreadable, not as an empty ok folder' {
        $root = New-TestRoot -Prefix 'unreadable'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'watched/top.txt') -AsOf $AsOf
        $watched = Join-Path -Path $root -ChildPath 'watched'
        if (-not (Deny-TestAccess -Path $watched)) {
            Set-ItResult -Skipped -Because 'this account can read any folder (administrator override or root)'
            return
        }
        try {
            $result = Invoke-FolderScan -Path $watched -WarningAction SilentlyContinue
        }
        finally {
            Grant-TestAccess -Path $watched
        }
        $result.Entry.status | Should -Be 'unreadable'
        $result.Included | Should -BeTrue
    }

    It 'does not follow reparse points (a link back to the parent does not loop)' {
        $root = New-TestRoot -Prefix 'reparse'
        $watched = Join-Path -Path $root -ChildPath 'watched'
        New-TestFile -Path (Join-Path -Path $watched -ChildPath 'a.txt') -AsOf $AsOf
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'elsewhere/outside.txt') -AsOf $AsOf
        try {
            if ($IsWindowsHost) {
                $null = New-Item -ItemType Junction -Path (Join-Path -Path $watched -ChildPath 'loop') -Target $watched
                $null = New-Item -ItemType Junction -Path (Join-Path -Path $watched -ChildPath 'out') -Target (Join-Path -Path $root -ChildPath 'elsewhere')
            }
            else {
                $null = New-Item -ItemType SymbolicLink -Path (Join-Path -Path $watched -ChildPath 'loop') -Target $watched
                $null = New-Item -ItemType SymbolicLink -Path (Join-Path -Path $watched -ChildPath 'out') -Target (Join-Path -Path $root -ChildPath 'elsewhere')
            }
        }
        catch {
            Set-ItResult -Skipped -Because "links cannot be created here: $($_.Exception.Message)"
            return
        }
        try {
            $result = Invoke-FolderScan -Path $watched -Recurse
        }
        finally {
            # Remove the links themselves, so no clean-up ever walks through them.
            foreach ($link in @('loop', 'out')) {
                $linkPath = Join-Path -Path $watched -ChildPath $link
                if ($IsWindowsHost) { [System.IO.Directory]::Delete($linkPath, $false) } else { [System.IO.File]::Delete($linkPath) }
            }
        }
        $result.Entry.fileCount | Should -Be 1
        (@($result.Entry.files | ForEach-Object -Process { $_.filename }) -join ',') | Should -Be 'a.txt'
    }

    It 'does not count a symbolic link to a file (the Python scanner''s rule: a link is not a file that arrived)' {
        $root = New-TestRoot -Prefix 'filelink'
        $watched = Join-Path -Path $root -ChildPath 'watched'
        New-TestFile -Path (Join-Path -Path $watched -ChildPath 'real.txt') -AsOf $AsOf
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'elsewhere.txt') -AsOf $AsOf
        try {
            $null = New-Item -ItemType SymbolicLink -Path (Join-Path -Path $watched -ChildPath 'link.txt') -Target (Join-Path -Path $root -ChildPath 'elsewhere.txt')
        }
        catch {
            Set-ItResult -Skipped -Because "symbolic links cannot be created here: $($_.Exception.Message)"
            return
        }
        $result = Invoke-FolderScan -Path $watched
        $result.Entry.fileCount | Should -Be 1
        (@($result.Entry.files | ForEach-Object -Process { $_.filename }) -join ',') | Should -Be 'real.txt'
    }

    It 'off Windows counts regular files only and ages "creation" by the inode change time, as the Python scanner' {
        if ($IsWindowsHost) { Set-ItResult -Skipped -Because 'FIFOs and st_ctime are Unix notions'; return }
        $root = New-TestRoot -Prefix 'unix'
        $file = Join-Path -Path $root -ChildPath 'copied-with-old-times.csv'
        [System.IO.File]::WriteAllBytes($file, [byte[]]@(1))
        [System.IO.File]::SetLastWriteTimeUtc($file, [datetime]::UtcNow.AddDays(-30))  # cp -p, rsync -t, tar x
        & mkfifo (Join-Path -Path $root -ChildPath 'pipe.csv')
        $changed = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $file } -ScriptBlock {
            param($Path) (Get-SlaWatchUnixStat -Entry (New-Object -TypeName System.IO.FileInfo -ArgumentList $Path)).ChangeTimeUtc
        }
        ([datetime]::UtcNow - $changed).TotalMinutes | Should -BeLessThan 5
        $result = Invoke-FolderScan -Path $root -AgeBasis creation -AsOfUtc ([datetime]::UtcNow)
        $result.Entry.fileCount | Should -Be 1
        $result.Entry.files.Count | Should -Be 0  # it arrived just now, however old its last write
    }

    It 'scans paths longer than 260 characters' {
        $root = New-TestRoot -Prefix 'long'
        $segments = @(1..6 | ForEach-Object -Process { 'segment-{0}-{1}' -f $_, ('l' * 40) })
        $deep = $root
        foreach ($segment in $segments) { $deep = Join-Path -Path $deep -ChildPath $segment }
        $deep.Length | Should -BeGreaterThan 260
        try {
            $null = [System.IO.Directory]::CreateDirectory((InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $deep } -ScriptBlock { param($Path) ConvertTo-SlaWatchLongPath -Path $Path }))
            $file = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = (Join-Path -Path $deep -ChildPath 'far.txt') } -ScriptBlock { param($Path) ConvertTo-SlaWatchLongPath -Path $Path }
            [System.IO.File]::WriteAllBytes($file, [byte[]]@())
            [System.IO.File]::SetLastWriteTimeUtc($file, $AsOf.AddHours(-2))
        }
        catch {
            Set-ItResult -Inconclusive -Because "the test could not create a long path here: $($_.Exception.Message)"
            return
        }
        try {
            $result = Invoke-FolderScan -Path $root -Recurse
        }
        finally {
            # Delete the deep tree through the long-path form: Windows PowerShell 5.1 could not clean it up otherwise.
            $top = InModuleScope -ModuleName SlaWatch -Parameters @{ Path = (Join-Path -Path $root -ChildPath $segments[0]) } -ScriptBlock { param($Path) ConvertTo-SlaWatchLongPath -Path $Path }
            [System.IO.Directory]::Delete($top, $true)
        }
        $result.Entry.status | Should -Be 'ok'
        $result.Entry.fileCount | Should -Be 1
        @($result.Entry.files)[0].filename | Should -Match 'far\.txt$'
        @($result.Entry.files)[0].filename | Should -Not -Match '^\\\\\?\\'
    }

    It 'adds the \\?\ prefix the way Windows PowerShell 5.1 needs it' -ForEach @(
        @{ In = 'C:\data\inbound'; Out = '\\?\C:\data\inbound' }
        @{ In = 'C:/data/inbound'; Out = '\\?\C:\data\inbound' }
        @{ In = '\\fs01\exchange\outbound'; Out = '\\?\UNC\fs01\exchange\outbound' }
        @{ In = '\\?\C:\already'; Out = '\\?\C:\already' }
        @{ In = 'relative\path'; Out = 'relative\path' }
    ) {
        InModuleScope -ModuleName SlaWatch -Parameters @{ In = $In } -ScriptBlock {
            param($In)
            ConvertTo-SlaWatchLongPath -Path $In -Force
        } | Should -BeExactly $Out
    }

    It 'stops at the time budget and marks the folder truncated' {
        $root = New-TestRoot -Prefix 'budget'
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'slow/a.txt') -AsOf $AsOf
        New-TestFile -Path (Join-Path -Path $root -ChildPath 'slow/b.txt') -AsOf $AsOf
        # A budget already used up: the first entry trips it.
        $result = Invoke-FolderScan -Path (Join-Path -Path $root -ChildPath 'slow') -TimeBudgetSeconds 0 -WarningAction SilentlyContinue
        $result.Entry.truncated | Should -BeTrue
        $result.Included | Should -BeTrue
    }
}
