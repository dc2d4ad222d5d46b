<#
    api.proxy: the system proxy with default credentials (default), "direct", or a proxy URL used for every
    destination (loopback included) with the account's default credentials; the same on 5.1 and 7.
#>

BeforeAll {
    . (Join-Path -Path $PSScriptRoot -ChildPath 'SlaWatch.TestHelpers.ps1')
    Import-Module -Name (Get-TestModulePath) -Force
}

AfterAll {
    Remove-Module -Name SlaWatch -Force -ErrorAction SilentlyContinue
}

Describe 'Proxy parameters' {
    It 'adds nothing for the system proxy' {
        $parameters = InModuleScope -ModuleName SlaWatch -ScriptBlock { Get-SlaWatchProxyParameter -Proxy '' }
        $parameters.Count | Should -Be 0
    }

    It 'sends the default credentials and does not skip local addresses for a configured proxy' {
        $parameters = InModuleScope -ModuleName SlaWatch -ScriptBlock { Get-SlaWatchProxyParameter -Proxy 'http://proxy.contoso.test:8080' }
        $proxy = $parameters.WebSession.Proxy
        $proxy.Address | Should -Be ([uri]'http://proxy.contoso.test:8080')
        $proxy.UseDefaultCredentials | Should -BeTrue
        $proxy.BypassProxyOnLocal | Should -BeFalse
        $proxy.IsBypassed([uri]'http://127.0.0.1:8000/') | Should -BeFalse
    }

    It 'bypasses every destination for direct' {
        $parameters = InModuleScope -ModuleName SlaWatch -ScriptBlock { Get-SlaWatchProxyParameter -Proxy 'direct' }
        $parameters.WebSession.Proxy.IsBypassed([uri]'https://api.example.test/prod/reports') | Should -BeTrue
    }

    It 'rejects a proxy URL with a user name or password in it, naming the field' {
        $root = New-TestRoot -Prefix 'proxy'
        $config = New-TestConfig -Root $root -Api @{ proxy = 'http://user:secret@proxy.contoso.test:8080' } -Folders @(@{ path = $root; slaMinutes = 20 })
        { InModuleScope -ModuleName SlaWatch -Parameters @{ Path = $config } -ScriptBlock { param($Path) Import-SlaWatchConfig -Path $Path } } |
            Should -Throw -ExpectedMessage '*api.proxy must be null (the system proxy), "direct" or a proxy URL*'
    }
}
