#!/usr/bin/env python3
"""
Moves `@auth/core` imports to the entry point that now exports each name (`@auth/core`, `@auth/core/adapter`,
`@auth/core/oauth2`), rewrites the removed per-class guards (`isConfigError(e)` -> `isAuthError(e, 'ERR_CONFIG')`)
and the renamed types (TokensSource, AuthorizationRequest, AuthorizationUrlRequest). A one-off migration aid for
code written against the old surface (e.g. a branch merged after it):

    python3 scripts/migrate-core-imports.py pkg packages/cli/src/*.ts packages/cli/test/*.ts
    pnpm biome check --write packages/cli

Names no entry point exports are reported as UNKNOWN (internals now: import them from their module, or stop).
"""
import os, re, sys
ROOT=os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'packages', 'core', 'src')
def exports(path):
    s=open(path).read()
    names=set()
    for m in re.finditer(r'export (?:type )?\{([^}]*)\}', s):
        for item in m.group(1).split(','):
            n=item.strip()
            n=re.sub(r'^type\s+','',n)
            n=n.split(' as ')[-1].strip()
            if n: names.add(n)
    return names
ENTRIES=[('root',exports(ROOT+'/index.ts')),('adapter',exports(ROOT+'/adapter.ts')),('oauth2',exports(ROOT+'/oauth2/index.ts'))]
CODES={}
for m in re.finditer(r"(ERR_[A-Z_]+): '(\w+)'", open(ROOT+'/errors.ts').read()):
    CODES[m.group(2)]=m.group(1)
RENAMES={'TokensSource':'TokensOrigin','AuthorizationRequest':'PendingAuthorization','AuthorizationUrlRequest':'AuthorizationUrlOverrides'}

def rewrite_guards(s):
    # isFooError(  -> isAuthError(<arg>, 'ERR_FOO')
    out=[]; i=0
    pat=re.compile(r'\bis([A-Z][A-Za-z]*Error)\b')
    while True:
        m=pat.search(s,i)
        if not m: out.append(s[i:]); break
        cls=m.group(1)
        if cls not in CODES or cls=='AuthError':
            out.append(s[i:m.end()]); i=m.end(); continue
        out.append(s[i:m.start()])
        j=m.end()
        if j<len(s) and s[j]=='(':
            depth=0;k=j
            while True:
                c=s[k]
                if c=='(': depth+=1
                elif c==')':
                    depth-=1
                    if depth==0: break
                k+=1
            arg=s[j+1:k]
            out.append(f"isAuthError({arg}, '{CODES[cls]}')")
            i=k+1
        else:
            # referenced without a call (import list or passed as a function)
            prev=s[max(0,m.start()-200):m.start()]
            out.append(f"((e: unknown) => isAuthError(e, '{CODES[cls]}'))")
            i=j
    return ''.join(out)

def process(path, spec):
    s=open(path).read()
    orig=s
    specs={'root':spec['root'],'adapter':spec['adapter'],'oauth2':spec['oauth2']}
    allspecs=set(specs.values())
    rx=re.compile(r"import\s+(type\s+)?\{([^}]*)\}\s+from\s+'([^']+)';\n?")
    found=[]
    for m in rx.finditer(s):
        if m.group(3) in allspecs: found.append(m)
    if not found: return False
    names={}  # name -> is_type
    unknown=[]
    for m in found:
        alltype=bool(m.group(1))
        for item in m.group(2).split(','):
            it=item.strip()
            if not it: continue
            t=alltype or it.startswith('type ')
            it=re.sub(r'^type\s+','',it)
            names[it]=names.get(it,True) and t
    # strip statements
    first=found[0].start()
    for m in reversed(found):
        s=s[:m.start()]+s[m.end():]
    s=rewrite_guards(s)
    for a,b in RENAMES.items():
        s=re.sub(r'\b'+a+r'\b',b,s)
    # guards imported -> isAuthError
    newnames={}
    for n,t in names.items():
        mm=re.match(r'^is([A-Z][A-Za-z]*Error)$',n)
        if mm and mm.group(1) in CODES and mm.group(1)!='AuthError':
            newnames['isAuthError']=False; continue
        n2=n
        for a,b in RENAMES.items():
            if n.split(' as ')[0]==a: n2=n.replace(a,b)
        newnames[n2]=newnames.get(n2,True) and t
    groups={'root':[],'adapter':[],'oauth2':[]}
    for n,t in newnames.items():
        base=n.split(' as ')[0].strip()
        where=None
        for key,ex in ENTRIES:
            if base in ex: where=key;break
        if where is None:
            unknown.append(base); where='root'
        groups[where].append((n,t))
    stmts=''
    for key in ['root','adapter','oauth2']:
        g=sorted(groups[key],key=lambda x:x[0].lower())
        if not g: continue
        if all(t for _,t in g):
            stmts+=f"import type {{ {', '.join(n for n,_ in g)} }} from '{specs[key]}';\n"
        else:
            stmts+=f"import {{ {', '.join(('type '+n) if t else n for n,t in g)} }} from '{specs[key]}';\n"
    s=s[:first]+stmts+s[first:]
    if s!=orig:
        open(path,'w').write(s)
    if unknown: print('UNKNOWN', path, unknown)
    return True

if __name__=='__main__':
    mode=sys.argv[1]
    for path in sys.argv[2:]:
        if mode=='pkg':
            spec={'root':'@auth/core','adapter':'@auth/core/adapter','oauth2':'@auth/core/oauth2'}
        else:
            rel=os.path.relpath(ROOT, os.path.dirname(os.path.abspath(path)))
            spec={'root':rel+'/index.js','adapter':rel+'/adapter.js','oauth2':rel+'/oauth2/index.js'}
        process(path,spec)
